package org.qnnoracle.flow;

import org.qnnoracle.ode.GridProgress;

/**
 * Told after each output time a route has reached, so long runs can report progress; {@code t} is
 * gradient-flow time. A {@link GridProgress}, so the routes that integrate pass it to the grid solver as is.
 */
@FunctionalInterface
public interface FlowProgress extends GridProgress {
  FlowProgress NONE = (done, total, t) -> { };
}
