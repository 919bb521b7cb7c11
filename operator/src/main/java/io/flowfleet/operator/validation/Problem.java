package io.flowfleet.operator.validation;

/** One reason a resource cannot be applied as written, with a message that says what to do. */
public record Problem(String reason, String message) {

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
