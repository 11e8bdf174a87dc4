package io.litepool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh benchmark database in a temporary directory and the engine opened on it; closed and deleted together. */
final class BenchmarkDatabase implements AutoCloseable {
    final Path directory;
    final Path file;
    final Engine engine;

    BenchmarkDatabase(EngineKind kind, EngineKind.Durability durability, int readers, int memoryRows) {
        try {
            this.directory = Files.createTempDirectory("litepool-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.file = directory.resolve(kind.cliName + ".db");
        Schema.create(file, memoryRows);
        this.engine = kind.open(file, durability, readers);
    }

    @Override
    public void close() {
        engine.close();
        Schema.delete(file);
        try {
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a temporary directory; leaving it behind is harmless
        }
    }
}
