package io.nightcorej.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.protocol.config.FunctionConfig;
import org.junit.jupiter.api.Test;

/** The dispatcher's queue and worker choices, without processes or channels. */
class DispatcherTest {

    private final Dispatcher dispatcher =
        new Dispatcher(new FunctionConfig().name("Bar").id(2).minWorkers(1).maxWorkers(1), false, 10, 60_000);

    private CallRecord call(final long id) {
        return new CallRecord(id, dispatcher, CallRecord.Origin.GATEWAY, 0, 0, Long.MAX_VALUE);
    }

    @Test
    void aCallTakenFromABacklogTellsTheWorkerThatMoreAreWaiting() {
        final WorkerHandle worker = new WorkerHandle(7, null, null);
        assertThat(dispatcher.addWorker(worker, 0)).isNull();
        final CallRecord first = call(1);
        final CallRecord second = call(2);
        final CallRecord third = call(3);
        assertThat(dispatcher.admit(first, 1)).isSameAs(worker);
        assertThat(dispatcher.admit(second, 2)).isNull();
        assertThat(dispatcher.admit(third, 3)).isNull();
        assertThat(first.moreQueued).as("went straight to an idle worker").isFalse();

        // the worker's next call follows at once, so it should poll for it rather than sleep (DISPATCH MORE_QUEUED)
        assertThat(dispatcher.release(worker, 4)).isSameAs(second);
        assertThat(second.moreQueued).isTrue();
        // the queue's last call: nothing follows, the worker may sleep
        assertThat(dispatcher.release(worker, 5)).isSameAs(third);
        assertThat(third.moreQueued).isFalse();
        assertThat(dispatcher.release(worker, 6)).isNull();
        assertThat(dispatcher.idleCount()).isEqualTo(1);
    }

    @Test
    void aCancelledCallInTheQueueIsSkipped() {
        final WorkerHandle worker = new WorkerHandle(7, null, null);
        dispatcher.addWorker(worker, 0);
        final CallRecord running = call(1);
        final CallRecord cancelled = call(2);
        final CallRecord waiting = call(3);
        dispatcher.admit(running, 1);
        dispatcher.admit(cancelled, 2);
        dispatcher.admit(waiting, 3);
        cancelled.cancelled = true;
        assertThat(dispatcher.release(worker, 4)).isSameAs(waiting);
        assertThat(waiting.moreQueued).isFalse();
    }
}
