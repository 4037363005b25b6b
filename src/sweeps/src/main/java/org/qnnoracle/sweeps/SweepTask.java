package org.qnnoracle.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.qnnoracle.claims.Claim;
import org.qnnoracle.claims.ClaimRegistry;
import org.qnnoracle.claims.ClaimResult;
import org.qnnoracle.claims.ClaimRunner;
import org.qnnoracle.claims.Scale;

/**
 * One sweep task: a pure function of its JSON spec (which carries its seed) to a JSON result. PROTOTYPE.
 * Only kind "verify" ({"kind":"verify","claim":ID,"seed":S,"scale":"small"}) is implemented here.
 */
public final class SweepTask {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SweepTask() {}

  /** The task's stable ID, used as its result file name: verify.CLAIM.scale.sSEED. */
  public static String id(String specJson) {
    JsonNode s = parse(specJson);
    return s.path("kind").asText() + "." + s.path("claim").asText() + "." + s.path("scale").asText() + ".s"
        + s.path("seed").asLong();
  }

  static JsonNode parse(String specJson) {
    try {
      return JSON.readTree(specJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("task spec is not JSON: " + specJson, e);
    }
  }

  /** Runs the task in this JVM (ClaimRunner serialises runs on a JVM-wide lock). */
  public static String runInProcess(String specJson) {
    JsonNode s = parse(specJson);
    if (!"verify".equals(s.path("kind").asText())) {
      throw new IllegalArgumentException("prototype runs kind 'verify' only: " + specJson);
    }
    Claim claim = ClaimRegistry.byId(s.path("claim").asText())
        .orElseThrow(() -> new IllegalArgumentException("no claim " + s.path("claim").asText()));
    Scale scale = Scale.parse(s.path("scale").asText("default"));
    long seed = s.path("seed").asLong();
    ClaimResult r = ClaimRunner.run(claim, scale, seed);
    ObjectNode out = JSON.createObjectNode();
    out.put("task", id(specJson));
    out.put("kind", "verify");
    out.put("claim", claim.id());
    out.put("scale", scale.label());
    out.put("seed", seed);
    out.put("status", r.status());
    out.put("measured", r.measurement().measured());
    out.put("bound", r.measurement().bound());
    out.put("detail", r.measurement().detail());
    out.put("millis", r.millis());
    out.put("pid", ProcessHandle.current().pid());
    return out.toString();
  }

  /** Runs the task in a child JVM (as CalibrationRun does), one core: java -cp CP TaskMain SPEC. */
  public static String runInChild(String specJson, String classPath) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:ActiveProcessorCount=1");
    cmd.add("-Xmx2g");
    cmd.add("-Djava.awt.headless=true");
    String linalg = System.getProperty("qnn.linalg");
    if (linalg != null && !linalg.isBlank()) {
      cmd.add("-Dqnn.linalg=" + linalg);
    }
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(TaskMain.class.getName());
    cmd.add(specJson);
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("OPENBLAS_NUM_THREADS", "1");
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int rc = p.waitFor();
      String last = out.strip();
      int nl = last.lastIndexOf('\n');
      last = nl < 0 ? last : last.substring(nl + 1);
      if (rc != 0 || !last.startsWith("{")) {
        throw new IllegalStateException("child for " + specJson + " exited " + rc + ": " + out);
      }
      return last;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The result without the fields that legitimately differ between runs (time, process). */
  public static String comparable(String resultJson) {
    ObjectNode n = (ObjectNode) parse(resultJson);
    n.remove("millis");
    n.remove("pid");
    return n.toString();
  }
}
