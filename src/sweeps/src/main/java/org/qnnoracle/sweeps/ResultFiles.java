package org.qnnoracle.sweeps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Engine-free parts (PROTOTYPE): atomic result files and the plain loop ({@code --shard}'s runner). */
public final class ResultFiles {
  private ResultFiles() {}

  /** Writes OUT/results/ID.json: a temp file in the same directory, then an atomic rename. */
  public static void write(Path results, String resultJson) throws IOException {
    String id = SweepTask.id(resultJson.replace("\"task\"", "\"_task\""));
    Path target = results.resolve(id + ".json");
    Path tmp = Files.createTempFile(results, "." + id, ".tmp");
    Files.writeString(tmp, resultJson + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Plain loop without any engine: ResultFiles TASKS OUT [i/N]. */
  public static void main(String[] args) throws IOException {
    List<String> specs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        specs.add(line.strip());
      }
    }
    int shard = 1;
    int shards = 1;
    if (args.length > 2) {
      String[] p = args[2].split("/");
      shard = Integer.parseInt(p[0]);
      shards = Integer.parseInt(p[1]);
    }
    Path results = Path.of(args[1]).resolve("results");
    Files.createDirectories(results);
    long t0 = System.nanoTime();
    int k = 0;
    for (int i = 0; i < specs.size(); i++) {
      String s = specs.get(i);
      if (i % shards != shard - 1 || Files.exists(results.resolve(SweepTask.id(s) + ".json"))) {
        continue;
      }
      write(results, SweepTask.runInProcess(s));
      k++;
    }
    System.out.printf(Locale.ROOT, "sweep: shard %d/%d ran %d task(s) in %.2f s%n", shard, shards, k,
        (System.nanoTime() - t0) / 1e9);
  }
}
