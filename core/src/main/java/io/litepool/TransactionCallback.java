package io.litepool;

/**
 * Work to run atomically on the writer connection. If it throws, every statement it ran is rolled back and the
 * exception reaches the caller of {@link LitePool#transaction}.
 */
@FunctionalInterface
public interface TransactionCallback<T> {
    T run(Transaction tx) throws Exception;
}
