package org.qnnoracle.ode;

/**
 * A numerical integration that could not complete (NaN in the state, step size underflow). Not a bug
 * and not bad input: the command line reports it as a failed computation (exit code 1).
 */
public final class OdeIntegrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OdeIntegrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
