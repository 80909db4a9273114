package io.tributary.model.batch;

import ai.djl.ndarray.NDManager;
import io.tributary.model.llama.LlamaModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;

/**
 * CPU time of one decode step by batch size: B sequences, each first prefilled with {@code context} tokens alone,
 * then {@code steps} decode steps of all B; per configuration the minimum, 25th percentile and median of the
 * stepping thread's CPU time per step (the minimum moves least with machine load). Modes: {@code base} (no adapter),
 * {@code one} (all rows on one adapter), {@code distinct} (each row its own adapter, of the first 64). Not a test;
 * run by hand over a {@code bench serve --work} directory (its model-tiny and adapters-tiny), e.g.
 * {@code java -cp model-runtime/target/test-classes:model-runtime/target/classes:serving/target/lib/*
 * io.tributary.model.batch.StepCostBench /tmp/bench 100 60 base,distinct 1,4,32} ({@code -Dpreset=smollm-135m} for that
 * shape's model and adapters). Rep 0 is warm-up and not printed. Run it with the launcher's malloc settings
 * ({@code MALLOC_MMAP_THRESHOLD_} and {@code MALLOC_TRIM_THRESHOLD_} from serving's tributary-commands.txt) or its steps
 * are slower and noisier than the server's engine (docs/benchmarks.md, Serving, "fourth look").
 */
public final class StepCostBench {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int context = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        ai.djl.engine.Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        NDManager manager = NDManager.newBaseManager();
        String preset = System.getProperty("preset", "tiny");
        LlamaModel model = LlamaModel.load(work.resolve("model-" + preset), manager);
        List<DeviceAdapter> adapters = new ArrayList<>();
        for (int k = 0; k < 64; k++) adapters.add(DeviceAdapter.load(work.resolve("adapters-" + preset).resolve(String.format("adapter-%04d", k)), model.config(), manager));
        var threads = ManagementFactory.getThreadMXBean();
        Random random = new Random(1);
        for (int rep = 0; rep < 3; rep++)
        for (String mode : (args.length > 3 ? args[3] : "base,one,distinct").split(","))
        for (int batch : Arrays.stream((args.length > 4 ? args[4] : "1,2,4,8,16,32,64").split(",")).mapToInt(Integer::parseInt).toArray()) {
            try (BatchedForward engine = new BatchedForward(model)) {
                List<Sequence> seqs = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    DeviceAdapter a = mode.equals("base") ? null : mode.equals("one") ? adapters.get(0) : adapters.get(i % adapters.size());
                    Sequence s = new Sequence(engine, a);
                    int[] prompt = new int[context]; for (int j = 0; j < context; j++) prompt[j] = 32 + random.nextInt(90);
                    engine.step(List.of(new BatchedForward.Feed(s, prompt)));
                    seqs.add(s);
                }
                double[] each = new double[steps];
                for (int st = 0; st < steps; st++) {
                    List<BatchedForward.Feed> feeds = new ArrayList<>();
                    for (Sequence s : seqs) feeds.add(new BatchedForward.Feed(s, new int[] {65}));
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    engine.step(feeds);
                    each[st] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
                }
                Arrays.sort(each);
                if (rep > 0) System.out.printf("rep %d %-8s batch %2d: min %.3f ms/step p25 %.3f median %.3f; min %.4f ms/row%n", rep, mode, batch, each[0], each[steps / 4], each[steps / 2], each[0] / batch);
                for (Sequence s : seqs) s.close();
            }
        }
    }
}
