package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a FlowPlatform or WorkerGroup start a reconcile: a spec change (generation) as with JOSDK's
 * generation-aware processing, plus setting or removing the {@link Paused} annotation, which changes no generation.
 * Status-only updates (our own writes) do not.
 */
public final class SpecOrPauseChanged implements OnUpdateFilter<HasMetadata> {

  @Override
  public boolean accept(HasMetadata updated, HasMetadata old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || Paused.isPaused(updated) != Paused.isPaused(old);
  }
}
