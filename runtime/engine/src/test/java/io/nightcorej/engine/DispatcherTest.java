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
        assertThat(dispatcher.admit(first, 1)).isSameAs(first);
        assertThat(first.worker).isSameAs(worker);
        assertThat(dispatcher.admit(second, 2)).isNull();
        assertThat(dispatcher.admit(third, 3)).isNull();
        assertThat(first.moreQueued).as("went straight to an idle worker").isFalse();

        // the worker's next call follows at once, so it should poll for it rather than sleep (DISPATCH MORE_QUEUED)
        assertThat(dispatcher.release(worker, 4, 1)).isSameAs(second);
        assertThat(second.moreQueued).isTrue();
        // the queue's last call: nothing follows, the worker may sleep
        assertThat(dispatcher.release(worker, 5, 1)).isSameAs(third);
        assertThat(third.moreQueued).isFalse();
        assertThat(dispatcher.release(worker, 6, 1)).isNull();
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
        assertThat(dispatcher.release(worker, 4, 1)).isSameAs(waiting);
        assertThat(waiting.moreQueued).isFalse();
    }

    // Dispatch ahead: a 2-worker function at its maximum whose calls take ~1 µs.

    private final Dispatcher ahead =
        new Dispatcher(new FunctionConfig().name("Nop").id(3).minWorkers(2).maxWorkers(2), false, 10, 60_000, 100);

    private CallRecord nop(final long id) {
        return new CallRecord(id, ahead, CallRecord.Origin.GATEWAY, 0, 0, Long.MAX_VALUE);
    }

    private WorkerHandle[] twoWorkers(final boolean declared) {
        final FunctionContainer container = new FunctionContainer(ahead, 1, 0);
        container.dispatchAhead = declared;
        final WorkerHandle[] w = {new WorkerHandle(1, container, null), new WorkerHandle(2, container, null)};
        ahead.addWorker(w[0], 0);
        ahead.addWorker(w[1], 0);
        // 16 short calls teach it the function's processing time (LIFO: all on the warmest worker)
        for (int i = 0; i < 16; i++) {
            final CallRecord c = nop(100 + i);
            assertThat(ahead.admit(c, 1)).isSameAs(c);
            assertThat(ahead.release(c.worker, 2, 1)).isNull();
        }
        return w;
    }

    /** Calls 1 (at 10) and 2 (at 20) occupy both workers. */
    private CallRecord[] bothBusy() {
        final CallRecord[] calls = {nop(1), nop(2)};
        ahead.admit(calls[0], 10);
        ahead.admit(calls[1], 20);
        return calls;
    }

    @Test
    void withEveryWorkerBusyAShortCallGoesAheadToTheWorkerWhoseCallStartedFirst() {
        final WorkerHandle[] w = twoWorkers(true);
        final CallRecord[] busy = bothBusy();
        final CallRecord first = busy[0];
        final CallRecord second = busy[1];
        final CallRecord third = nop(3);
        assertThat(ahead.admit(third, 30)).as("sent now, not queued").isSameAs(third);
        assertThat(third.worker).isSameAs(first.worker);
        final CallRecord fourth = nop(4);
        assertThat(ahead.admit(fourth, 40)).isSameAs(fourth);
        assertThat(fourth.worker).isSameAs(second.worker);
        final CallRecord fifth = nop(5);
        assertThat(ahead.admit(fifth, 50)).as("one call ahead per worker: the rest waits").isNull();

        // first's worker finishes: third (already in its channel) starts now, and fifth follows it ahead
        assertThat(ahead.release(first.worker, 60, 1)).isSameAs(fifth);
        assertThat(third.dispatchedNanos).as("its queueing time ran until its worker started it").isEqualTo(60);
        assertThat(fifth.worker).isSameAs(first.worker);
        assertThat(ahead.release(first.worker, 70, 1)).isNull();
        assertThat(ahead.release(first.worker, 80, 1)).isNull();
        assertThat(ahead.release(second.worker, 90, 1)).isNull();
        assertThat(ahead.release(second.worker, 95, 1)).isNull();
        assertThat(ahead.idleCount()).isEqualTo(2);
        assertThat(w[0].ahead).isNull();
        assertThat(w[1].ahead).isNull();
    }

    @Test
    void aWorkerThatTakesAQueuedCallGetsTheNextOneAheadWithIt() {
        twoWorkers(true);
        final CallRecord[] calls = new CallRecord[7];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = nop(i + 1);
            ahead.admit(calls[i], 10 + i);
        }
        // 1, 2 run; 3, 4 went ahead; 5, 6, 7 wait. Worker of 1 finishes: 3 starts, 5 goes ahead.
        assertThat(ahead.release(calls[0].worker, 20, 1)).isSameAs(calls[4]);
        // Worker of 2 finishes: 4 starts, 6 goes ahead.
        assertThat(ahead.release(calls[1].worker, 21, 1)).isSameAs(calls[5]);
        assertThat(calls[6].worker).isNull();
    }

    @Test
    void callsAreNotSentAheadToContainersThatDoNotKeepThem() {
        twoWorkers(false);
        bothBusy();
        assertThat(ahead.admit(nop(3), 30)).isNull();
    }

    @Test
    void aFunctionThatCallsOthersNeverGetsCallsAhead() {
        twoWorkers(true);
        ahead.noteCallsOthers();
        bothBusy();
        assertThat(ahead.admit(nop(3), 30)).as("it would wait behind a nested call chain").isNull();
    }

    @Test
    void slowCallsAreNotSentAhead() {
        final WorkerHandle[] w = twoWorkers(true);
        for (int i = 0; i < 64; i++) {
            final CallRecord c = nop(200 + i);
            ahead.admit(c, 3);
            ahead.release(c.worker, 4, 5_000);
        }
        bothBusy();
        assertThat(ahead.admit(nop(3), 30)).isNull();
        assertThat(w[0].ahead).isNull();
    }

    @Test
    void aCallAheadOfALostWorkerIsTakenBackAndGoesToAnotherWorker() {
        final WorkerHandle[] w = twoWorkers(true);
        final CallRecord first = bothBusy()[0];
        final CallRecord third = nop(3);
        ahead.admit(third, 30);
        final WorkerHandle lost = third.worker;
        final WorkerHandle other = lost == w[0] ? w[1] : w[0];

        assertThat(ahead.removeWorker(lost)).isSameAs(first);
        assertThat(ahead.takeAhead(lost)).isSameAs(third);
        assertThat(ahead.readmit(third, 40)).as("the other worker is busy: it waits at the head of the queue").isNull();
        final CallRecord later = nop(4);
        ahead.admit(later, 45);
        assertThat(ahead.release(other, 50, 1)).as("the taken-back call goes first").isSameAs(third);
        assertThat(third.worker).isSameAs(other);
    }
}
