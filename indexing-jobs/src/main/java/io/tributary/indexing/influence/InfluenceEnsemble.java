package io.tributary.indexing.influence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which models a run averages its scores over (TRAK's ensembles): the adapter alone, every state of its training
 * (each checkpoint and the final adapter: one run's checkpoints, TRAK's cheaper ensemble), or independently trained
 * adapters of the same training contributions ({@code members}, besides the adapter itself). Formulas: module README.
 */
public record InfluenceEnsemble(Kind kind, List<String> members) {
    /** The three ensembles. */
    public enum Kind { SINGLE, CHECKPOINTS, ADAPTERS }

    public static final InfluenceEnsemble SINGLE = new InfluenceEnsemble(Kind.SINGLE, List.of());
    public static final InfluenceEnsemble CHECKPOINTS = new InfluenceEnsemble(Kind.CHECKPOINTS, List.of());
    static final String CHECKPOINTS_LABEL = "checkpoints";

    public InfluenceEnsemble {
        members = List.copyOf(members);
        if (kind == Kind.ADAPTERS) {
            if (members.isEmpty()) {
                throw new InfluenceException("an ensemble of adapters needs at least one adapter besides the scored one");
            }
            Set<String> seen = new HashSet<>();
            for (String member : members) {
                AdapterInputs.checkAdapterId(member);
                if (!seen.add(member)) {
                    throw new InfluenceException("ensemble member " + member + " is listed twice");
                }
            }
        } else if (!members.isEmpty()) {
            throw new InfluenceException("only an ensemble of adapters lists members");
        }
    }

    /** The adapter scored, averaged with {@code members} (other adapters' ids). */
    public static InfluenceEnsemble adapters(List<String> members) {
        return new InfluenceEnsemble(Kind.ADAPTERS, members);
    }

    /** {@code --ensemble}: absent or {@code none}, {@code checkpoints}, or a comma-separated list of adapter ids. */
    public static InfluenceEnsemble parse(String text) {
        if (text == null || text.isBlank() || text.equals("none")) {
            return SINGLE;
        }
        if (text.equals(CHECKPOINTS_LABEL)) {
            return CHECKPOINTS;
        }
        return adapters(java.util.Arrays.stream(text.split(",")).map(String::trim).toList());
    }

    /** The {@code method} column: {@code base} alone, or with {@code -checkpoints} or {@code -ensemble} appended. */
    public String methodLabel(String base) {
        return switch (kind) {
            case SINGLE -> base;
            case CHECKPOINTS -> base + "-" + CHECKPOINTS_LABEL;
            case ADAPTERS -> base + "-ensemble";
        };
    }
}
