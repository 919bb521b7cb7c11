package io.flowfleet.operator;

/** Entry point of the operator jar (reconcilers and the render command come next). */
public final class FlowfleetOperator {

  private FlowfleetOperator() {}

  public static void main(String[] args) {
    System.err.println("flowfleet-operator: not implemented yet");
    System.exit(1);
  }
}
