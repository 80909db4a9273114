package io.tributary.model.batch;

import ai.djl.ndarray.NDManager;
import io.tributary.model.batch.BatchedForward;
import io.tributary.model.batch.DeviceAdapter;
import io.tributary.model.batch.Sequence;
import io.tributary.model.llama.LlamaModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;

/**
 * Engine-only replay of {@code bench serve}'s workload (256 requests, a closed loop of 32 sequences, prompts of 32..128
 * tokens prefilled in steps of at most 512 tokens, 16..64 greedy output tokens, adapters drawn 1/k over N) with no
 * HTTP and no scheduler: completion tokens per CPU second of the stepping thread, N interleaved in rounds. Not a
 * test; run by hand over a {@code bench serve --work} directory (its model-tiny and adapters-tiny), e.g.
 * {@code java -cp model-runtime/target/test-classes:serving/target/lib/* io.tributary.model.batch.EngineReplayBench /tmp/bench 3 1000,1}.
 */
public final class EngineReplayBench {
    record Req(int adapter, int[] prompt, int out) {}
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int[] counts = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int requests = 256, slots = 32, budget = 512;
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        NDManager manager = NDManager.newBaseManager();
        LlamaModel model = LlamaModel.load(work.resolve("model-tiny"), manager);
        Map<Integer, DeviceAdapter> adapters = new HashMap<>();
        var threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++) {
            for (int n : counts) {
                List<Req> reqs = workload(n, requests);
                for (Req r : reqs) adapters.computeIfAbsent(r.adapter, k -> DeviceAdapter.load(
                        work.resolve("adapters-tiny").resolve(String.format("adapter-%04d", k)), model.config(), manager));
                long tokens = 0, steps = 0;
                long cpu0 = threads.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
                try (BatchedForward engine = new BatchedForward(model)) {
                    ArrayDeque<Req> queue = new ArrayDeque<>(reqs);
                    List<Object[]> running = new ArrayList<>(); // {Req, Sequence, int[]{prefilled, generated, pending}}
                    while (!queue.isEmpty() || !running.isEmpty()) {
                        while (running.size() < slots && !queue.isEmpty()) {
                            Req r = queue.poll();
                            running.add(new Object[] {r, new Sequence(engine, adapters.get(r.adapter)), new int[3]});
                        }
                        List<BatchedForward.Feed> feeds = new ArrayList<>(); List<Object[]> fed = new ArrayList<>();
                        int left = budget;
                        for (Object[] s : running) { int[] st = (int[]) s[2]; Req r = (Req) s[0];
                            if (st[0] == r.prompt.length) { feeds.add(new BatchedForward.Feed((Sequence) s[1], new int[] {st[2]})); fed.add(s); left--; } }
                        for (Object[] s : running) { int[] st = (int[]) s[2]; Req r = (Req) s[0];
                            if (st[0] < r.prompt.length && left > 0) { int c = Math.min(left, r.prompt.length - st[0]);
                                feeds.add(new BatchedForward.Feed((Sequence) s[1], Arrays.copyOfRange(r.prompt, st[0], st[0] + c))); fed.add(s); left -= c; } }
                        float[][] logits = engine.step(feeds); steps++;
                        for (int i = 0; i < fed.size(); i++) { Object[] s = fed.get(i); int[] st = (int[]) s[2]; Req r = (Req) s[0];
                            if (st[0] < r.prompt.length) { st[0] += feeds.get(i).tokens().length; if (st[0] < r.prompt.length) continue; }
                            int best = 0; float[] l = logits[i]; for (int t = 1; t < 256; t++) if (l[t] > l[best]) best = t;
                            st[2] = best; st[1]++; tokens++;
                            if (st[1] >= r.out) { ((Sequence) s[1]).close(); running.remove(s); } }
                    }
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9, wall = (System.nanoTime() - wall0) / 1e9;
                System.out.printf("round %d N=%d steps %d tokens %d cpu %.2f s wall %.2f s -> %.1f tokens/CPU s %.1f tokens/s%n",
                        round, n, steps, tokens, cpu, wall, tokens / cpu, tokens / wall);
            }
        }
    }
    static List<Req> workload(int n, int requests) {
        SplittableRandom random = new SplittableRandom(1);
        double[] cum = new double[n]; double sum = 0;
        for (int k = 0; k < n; k++) { sum += 1.0 / (k + 1); cum[k] = sum; }
        List<Req> out = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            double u = random.nextDouble() * sum; int a = Arrays.binarySearch(cum, u); a = a >= 0 ? a : Math.min(n - 1, -a - 1);
            int[] prompt = new int[32 + random.nextInt(97)]; for (int j = 0; j < prompt.length; j++) prompt[j] = 32 + random.nextInt(90);
            out.add(new Req(a, prompt, 16 + random.nextInt(49)));
        }
        return out;
    }
}
