package io.litepool;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one name of the file a path stands for, so that two spellings of it ({@code ./app.db}, {@code sub/../app.db},
 * a symbolic link to it or to its directory) compare equal. A hard link has a real path of its own; callers that
 * must catch it too compare existing files with {@link java.nio.file.Files#isSameFile} as well.
 */
final class RealPath {
    private RealPath() {
    }

    /**
     * The real path of {@code path} if it exists; for a file that does not exist yet, its directory's real path
     * joined with its name (the name a file created there will have).
     *
     * @throws IOException if neither the file nor its directory exists
     */
    static Path of(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        try {
            return absolute.toRealPath();
        } catch (NoSuchFileException e) {
            Path dir = absolute.getParent();
            Path name = absolute.getFileName();
            if (dir == null || name == null) {
                throw e;
            }
            return dir.toRealPath().resolve(name);
        }
    }
}
