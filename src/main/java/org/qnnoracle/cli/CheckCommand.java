package org.qnnoracle.cli;

import org.qnnoracle.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qnnoracle.Version;
import org.qnnoracle.reference.CandidateFile;
import org.qnnoracle.reference.CaseFile;
import org.qnnoracle.reference.CheckReport;
import org.qnnoracle.reference.CheckResult;
import org.qnnoracle.reference.Checker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qnn-oracle check}: judges a candidate implementation's answers to a reference case
 * (spec/reference-format.md) and prints one verdict per quantity.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    header = "Check another implementation's results against a reference case.",
    descriptionHeading = "%n",
    description = {
      "Reads a reference case (test-data/cases/*.json, format qnn-oracle-reference; its checksum must match) "
          + "and a candidate file (format qnn-oracle-candidate) holding the same quantities computed by the "
          + "implementation under test, and judges every quantity (spec/reference-format.md):",
      "",
      "Tolerance test: every element within absolute + relative * |expected|; worst = the largest "
          + "|candidate - expected| / (absolute + relative * |expected|), bound 1.",
      "",
      "Exact test: identity quantities given as rational strings \"p/q\" must equal the case's rationals; "
          + "worst = the number of mismatches, bound 0. Numbers instead of strings take the tolerance test.",
      "",
      "Statistical test: for each output step z = (mean - reference) / sqrt(se^2 + se_ref^2) over the "
          + "candidate's riskReplicas (replicas x K); worst = max |z|, bound = Phi^-1(1 - falseAlarm / (2K)).",
      "",
      "The table (quantity, test, worst, bound, status, where) goes to standard output, followed by "
          + "\"check: PASS (k of k quantities)\" or \"check: FAIL (...)\".",
      ""
    },
    optionListHeading = "Options:%n",
    footer = {
      "",
      "Example:",
      "  qnn-oracle check --case test-data/cases/flow-m-lt-r.json \\",
      "      --candidate my-flow.json --report out/",
      "",
      "Exit codes: 0 every quantity passes; 1 some quantity fails; 2 unreadable input (malformed or "
          + "truncated JSON, wrong format or version, wrong case id, a missing or extra quantity, a wrong "
          + "shape, a non-finite number, a checksum mismatch, a missing file, an unusable --report "
          + "directory), with one line naming the file and the JSON path, or standard output that cannot be "
          + "written."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--case", required = true, paramLabel = "FILE", order = 1,
      description = "The reference case (JSON, format qnn-oracle-reference); its id must equal the file name "
          + "without .json.")
  Path caseFile;

  @Option(names = "--candidate", required = true, paramLabel = "FILE", order = 2,
      description = "The candidate's results (JSON, format qnn-oracle-candidate) for that case.")
  Path candidateFile;

  @Option(names = "--report", paramLabel = "DIR", order = 3,
      description = "Also write check.json (machine-readable) and check.md (Markdown) to DIR, created if "
          + "missing; existing files are replaced atomically. Default: no report files.")
  Path report;

  @Override
  public Integer call() throws IOException {
    CaseFile c = CaseFile.read(caseFile);
    CandidateFile candidate = CandidateFile.read(candidateFile, c);
    Path dir = null;
    if (report != null) {
      dir = AtomicOutput.prepareDirectory(report);
      AtomicOutput.checkTarget(dir.resolve(CheckReport.JSON_FILE));
      AtomicOutput.checkTarget(dir.resolve(CheckReport.MARKDOWN_FILE));
    }
    CheckResult result = Checker.check(c, candidate);
    String json = CheckReport.json(result, Version.CURRENT);
    String md = CheckReport.markdown(result, Version.CURRENT);

    PrintWriter out = spec.commandLine().getOut();
    out.println("case " + result.caseId() + " (" + result.caseKind() + "); candidate: "
        + CliErrors.oneLine(result.implementation().isBlank() ? "(no description)" : result.implementation())
        + "; precision " + result.precision());
    out.print(CheckReport.table(result));
    out.println(CheckReport.verdict(result));
    out.flush();
    if (dir != null) {
      AtomicOutput.writeString(dir.resolve(CheckReport.JSON_FILE), json);
      AtomicOutput.writeString(dir.resolve(CheckReport.MARKDOWN_FILE), md);
      PrintWriter err = spec.commandLine().getErr();
      err.println("check: wrote " + report.resolve(CheckReport.JSON_FILE) + " and "
          + report.resolve(CheckReport.MARKDOWN_FILE));
      err.flush();
    }
    // checked after the report files, which hold the same verdicts: a lost table is an error, not a reason to
    // withhold them
    StandardOutput.check(out);
    return result.passed() ? Console.EXIT_OK : Console.EXIT_CLAIM_FAILED;
  }
}
