package io.litepool;

import java.util.ArrayList;
import java.util.List;

/**
 * The pool's connection owners as one: the writer, the readers and the workers. They start together and are stopped
 * together by close, in the order close needs (see {@link LitePool}'s notes). Called by the opening and the closing
 * thread only.
 */
final class Owners {
    final GroupCommitWriter writer;
    final ReaderPool readers;
    final ReaderPool workers;

    Owners(GroupCommitWriter writer, ReaderPool readers, ReaderPool workers) {
        this.writer = writer;
        this.readers = readers;
        this.workers = workers;
    }

    void start() {
        writer.start();
        readers.start();
        workers.start();
    }

    /** Tells every owner to stop after the work queued before now. */
    void requestStop() {
        writer.requestStop();
        readers.requestStop();
        workers.requestStop();
    }

    /** Waits until every owner's thread has ended, up to {@code deadlineNanos}; returns whether all did. */
    boolean awaitEnd(long deadlineNanos) {
        return readers.awaitEnd(deadlineNanos) & workers.awaitEnd(deadlineNanos) & writer.awaitEnd(deadlineNanos);
    }

    /** Interrupts the owners still running (their statement and their thread); nothing they finish later commits. */
    void abandonRunning() {
        readers.abandon();
        workers.abandon();
        if (!writer.awaitEnd(System.nanoTime())) {
            writer.abandon();
        }
    }

    /** The requests still queued anywhere (close fails them). */
    List<Request<?>> drain() {
        List<Request<?>> left = new ArrayList<>(readers.drain());
        left.addAll(workers.drain());
        left.addAll(writer.drain());
        return left;
    }

    /** Whether the calling thread owns one of the connections (calls from it run inline or must not wait). */
    boolean isWriterThread() {
        return writer.isOwnerThread();
    }
}
