package org.qnnoracle.sweeps;

/** Child-JVM entry point: runs one task spec (args[0]) in process and prints its result JSON as the last line. */
public final class TaskMain {
  private TaskMain() {}

  public static void main(String[] args) {
    System.out.println(SweepTask.runInProcess(args[0]));
    System.out.flush();
    System.exit(0);
  }
}
