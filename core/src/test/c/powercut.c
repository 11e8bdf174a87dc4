/*
 * powercut: an LD_PRELOAD shim that lets a test cut the power under a process.
 *
 * The process runs normally; the shim only keeps, for the files of one directory (POWERCUT_DIR), what a disk would
 * lose if the power failed now: an undo log (POWERCUT_LOG, a plain append-only file outside that directory) of
 *   - the old bytes of every whole 4 KiB page a write, a truncation or O_TRUNC changes for the first time since the
 *     file's last fsync/fdatasync, and the file's size at that fsync ('S' once per file and sync, 'P' per page);
 *   - every truncation that shortens such a file ('T', its new length: see PowerCut for why it matters);
 *   - every fsync/fdatasync of such a file ('F': the records of that file before it are durable now);
 *   - every creation (open with O_CREAT of a name that did not exist, or mkdir), rename and unlink of a name in
 *     the directory ('C', 'R', 'U'), until the directory itself is fsync'ed ('D': the records before it are durable).
 *     Before a rename replaces a file or an unlink removes one, the file is hard-linked into POWERCUT_STASH (same
 *     file system, outside the directory), so that undoing the operation can put it back.
 * The test then SIGKILLs the process and applies the log (PowerCut.java): every page not yet synced rolled back, or
 * a random subset of whole pages, and the metadata operations since the last directory fsync undone, newest first.
 * The OS itself never crashes here, so the log needs no fsync of its own.
 *
 * Files are followed by inode (st_ino), names by base name. Descriptors are followed from open to close; a
 * descriptor made by dup/fcntl(F_DUPFD) is not followed (SQLite and the JVM do not dup their files). A file opened
 * O_WRONLY in the directory is opened O_RDWR instead, so that the shim can read a page's old bytes through the
 * caller's own descriptor: opening a second descriptor and closing it would drop the process's POSIX locks on the
 * file (SQLite's and the pool's lock file).
 *
 * Not modelled: writes through mmap (SQLite writes its database with pwrite; its -shm index is mmap'ed, but it is
 * not durable state and SQLite rebuilds it on the first open), reordering or tearing within a page, O_DIRECT,
 * sync(2)/syncfs(2) (counted as syncing every file), cross-directory renames (a rename into the directory counts as
 * a creation, out of it as an unlink without stash).
 *
 * Environment: POWERCUT_DIR (the directory; unset, the shim does nothing), POWERCUT_LOG (the undo log),
 * POWERCUT_STASH (a directory for the stashed files), and optionally POWERCUT_FREEZE (see maybe_freeze).
 *
 * Built by the tests (PowerCutShim.java), from Debian's gcc and libc6-dev only:
 *   gcc -Wall -Wextra -shared -fPIC -O2 -o libpowercut.so powercut.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096
#define MAX_FDS 65536
#define MAX_FILES 1024

/* What a followed descriptor refers to: 0 not followed, 1 a file in the directory, 2 the directory itself. */
static unsigned char fd_kind[MAX_FDS];
static ino_t fd_ino[MAX_FDS];
static char *fd_name[MAX_FDS]; /* base name of a followed file, for POWERCUT_FREEZE */

/* A file written since its last fsync: the pages already logged, as a bitmap. */
struct dirty {
    ino_t ino;
    int in_use;
    uint8_t *pages;
    size_t pages_len; /* bytes of the bitmap */
};
static struct dirty files[MAX_FILES];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char watched[PATH_MAX];
static char stash_dir[PATH_MAX];
static int log_fd = -1;
static int active;
static unsigned long stash_seq;
static char freeze_name[NAME_MAX + 1];
static long freeze_countdown; /* fsyncs of freeze_name still to let through; 0: no freeze */
static char freeze_marker[PATH_MAX + 16];

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_creat)(const char *, mode_t);
static int (*real_creat64)(const char *, mode_t);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*real_pwritev64)(int, const struct iovec *, int, off64_t);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_sync_file_range)(int, off64_t, off64_t, unsigned int);
static int (*real_syncfs)(int);
static void (*real_sync)(void);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned int);
static int (*real_unlink)(const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_mkdir)(const char *, mode_t);
static int (*real_mkdirat)(int, const char *, mode_t);

static void die(const char *what) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "powercut: %s: %s\n", what, strerror(errno));
    if (real_write) {
        real_write(2, msg, (size_t) n);
    }
    abort();
}

#define RESOLVE(name) do { if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name); } while (0)

static void resolve_all(void) {
    RESOLVE(open); RESOLVE(open64); RESOLVE(openat); RESOLVE(openat64); RESOLVE(creat); RESOLVE(creat64);
    RESOLVE(close); RESOLVE(write); RESOLVE(pwrite); RESOLVE(pwrite64); RESOLVE(writev); RESOLVE(pwritev);
    RESOLVE(pwritev64); RESOLVE(ftruncate); RESOLVE(ftruncate64); RESOLVE(fsync); RESOLVE(fdatasync);
    RESOLVE(sync_file_range); RESOLVE(syncfs); RESOLVE(sync); RESOLVE(rename); RESOLVE(renameat);
    RESOLVE(renameat2); RESOLVE(unlink); RESOLVE(unlinkat); RESOLVE(mkdir); RESOLVE(mkdirat);
}

__attribute__((constructor)) static void init(void) {
    resolve_all();
    const char *dir = getenv("POWERCUT_DIR");
    const char *logp = getenv("POWERCUT_LOG");
    const char *stash = getenv("POWERCUT_STASH");
    if (!dir || !*dir) {
        return;
    }
    if (!logp || !stash) {
        errno = EINVAL;
        die("POWERCUT_DIR is set, so POWERCUT_LOG and POWERCUT_STASH must be too");
    }
    if (!realpath(dir, watched)) die("POWERCUT_DIR does not resolve");
    if (!realpath(stash, stash_dir)) die("POWERCUT_STASH does not resolve");
    const char *freeze = getenv("POWERCUT_FREEZE");
    if (freeze && *freeze) {
        const char *colon = strrchr(freeze, ':');
        if (!colon || colon == freeze || (size_t) (colon - freeze) > NAME_MAX || atol(colon + 1) < 1) {
            errno = EINVAL;
            die("POWERCUT_FREEZE must be <file name>:<n>, n >= 1");
        }
        snprintf(freeze_name, sizeof freeze_name, "%.*s", (int) (colon - freeze), freeze);
        freeze_countdown = atol(colon + 1);
        snprintf(freeze_marker, sizeof freeze_marker, "%s.frozen", logp);
    }
    log_fd = real_open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) die("cannot open POWERCUT_LOG");
    active = 1;
}

/* ---- the undo log: one write() per record, so a record is whole or absent even when the process is killed ---- */

static void put64(uint8_t **p, uint64_t v) { memcpy(*p, &v, 8); *p += 8; }
static void put32(uint8_t **p, uint32_t v) { memcpy(*p, &v, 4); *p += 4; }
static void putstr(uint8_t **p, const char *s) { uint32_t n = (uint32_t) strlen(s); put32(p, n); memcpy(*p, s, n); *p += n; }

static void append(const uint8_t *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = real_write(log_fd, buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("cannot append to POWERCUT_LOG");
        }
        done += (size_t) n;
    }
}

static void log_ino(char type, ino_t ino) {
    uint8_t buf[16], *p = buf;
    *p++ = (uint8_t) type;
    put64(&p, (uint64_t) ino);
    append(buf, (size_t) (p - buf));
}

/* ---- names ---- */

/* The base name of path if it names an entry of the watched directory, else NULL. */
static const char *watched_name(int dirfd, const char *path, char *base_out) {
    char full[2 * PATH_MAX + 2], parent[2 * PATH_MAX + 2], real_parent[PATH_MAX];
    if (!active || !path) return NULL;
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        if (path[0] == '/') {
            snprintf(full, sizeof full, "%s", path);
        } else {
            char cwd[PATH_MAX];
            if (!getcwd(cwd, sizeof cwd)) return NULL;
            snprintf(full, sizeof full, "%s/%s", cwd, path);
        }
    } else {
        char link[64], base[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        if (n < 0) return NULL;
        base[n] = 0;
        snprintf(full, sizeof full, "%s/%s", base, path);
    }
    size_t len = strlen(full);
    while (len > 1 && full[len - 1] == '/') full[--len] = 0;
    char *slash = strrchr(full, '/');
    if (!slash) return NULL;
    const char *name = slash + 1;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return NULL;
    if (slash == full) snprintf(parent, sizeof parent, "/");
    else snprintf(parent, sizeof parent, "%.*s", (int) (slash - full), full);
    if (!realpath(parent, real_parent)) return NULL;
    if (strcmp(real_parent, watched) != 0) return NULL;
    snprintf(base_out, NAME_MAX + 1, "%s", name);
    return base_out;
}

static int is_watched_dir(int dirfd, const char *path) {
    char full[2 * PATH_MAX + 2], real[PATH_MAX];
    if (!active || !path) return 0;
    if (path[0] == '/' || dirfd == AT_FDCWD) {
        snprintf(full, sizeof full, "%s", path);
    } else {
        char link[64], base[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(link, base, sizeof base - 1);
        if (n < 0) return 0;
        base[n] = 0;
        snprintf(full, sizeof full, "%s/%s", base, path);
    }
    return realpath(full, real) && strcmp(real, watched) == 0;
}

/* Hard-links the watched entry name into the stash; returns the stash's name in out ("" if there is no such file). */
static void stash(const char *name, char *out, size_t out_len) {
    char from[2 * PATH_MAX + 2], to[2 * PATH_MAX + 2];
    out[0] = 0;
    snprintf(from, sizeof from, "%s/%s", watched, name);
    snprintf(out, out_len, "%lu-%d-%s", ++stash_seq, (int) getpid(), name);
    snprintf(to, sizeof to, "%s/%s", stash_dir, out);
    if (link(from, to) != 0) {
        if (errno == ENOENT) { out[0] = 0; return; }
        die("cannot hard-link a file into POWERCUT_STASH (is it on the same file system?)");
    }
}

/* ---- data ---- */

static struct dirty *dirty_of(ino_t ino, int create) {
    struct dirty *free_slot = NULL;
    for (int i = 0; i < MAX_FILES; i++) {
        if (files[i].in_use && files[i].ino == ino) return &files[i];
        if (!files[i].in_use && !free_slot) free_slot = &files[i];
    }
    if (!create) return NULL;
    if (!free_slot) { errno = ENOSPC; die("more than MAX_FILES files written and not synced"); }
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->ino = ino;
    free_slot->in_use = 1;
    return free_slot;
}

static void forget(ino_t ino) {
    struct dirty *d = dirty_of(ino, 0);
    if (d) {
        free(d->pages);
        memset(d, 0, sizeof *d);
    }
}

/*
 * Before bytes [from, to) of the followed file fd change: logs its synced size (first change since its sync) and
 * the old bytes of each page in the range not logged since. Called with the lock held.
 */
static void before_change(int fd, uint64_t from, uint64_t to) {
    if (to <= from) return;
    ino_t ino = fd_ino[fd];
    struct dirty *d = dirty_of(ino, 0);
    if (!d) {
        struct stat st;
        if (fstat(fd, &st) != 0) die("fstat of a followed file failed");
        d = dirty_of(ino, 1);
        uint8_t buf[24], *p = buf;
        *p++ = 'S';
        put64(&p, (uint64_t) ino);
        put64(&p, (uint64_t) st.st_size);
        append(buf, (size_t) (p - buf));
    }
    static uint8_t rec[1 + 8 + 8 + 4 + PAGE];
    for (uint64_t page = from / PAGE; page <= (to - 1) / PAGE; page++) {
        size_t byte = (size_t) (page / 8);
        if (byte >= d->pages_len) {
            size_t len = d->pages_len ? d->pages_len : 64;
            while (len <= byte) len *= 2;
            uint8_t *grown = realloc(d->pages, len);
            if (!grown) die("out of memory");
            memset(grown + d->pages_len, 0, len - d->pages_len);
            d->pages = grown;
            d->pages_len = len;
        }
        if (d->pages[byte] & (1u << (page % 8))) continue;
        d->pages[byte] |= (uint8_t) (1u << (page % 8));
        uint8_t *p = rec;
        *p++ = 'P';
        put64(&p, (uint64_t) ino);
        put64(&p, page * PAGE);
        uint8_t *lenp = p;
        p += 4;
        ssize_t got = 0;
        while (got < PAGE) {
            ssize_t n = pread(fd, p + got, (size_t) (PAGE - got), (off_t) (page * PAGE + (uint64_t) got));
            if (n < 0) {
                if (errno == EINTR) continue;
                die("cannot read a page's old bytes before a write");
            }
            if (n == 0) break;
            got += n;
        }
        memcpy(lenp, &(uint32_t){(uint32_t) got}, 4);
        append(rec, (size_t) (p - rec) + (size_t) got);
    }
}

static int followed(int fd) { return active && fd >= 0 && fd < MAX_FDS && fd_kind[fd] == 1; }

static uint64_t current_offset(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_APPEND)) {
        struct stat st;
        return fstat(fd, &st) == 0 ? (uint64_t) st.st_size : 0;
    }
    off_t off = lseek(fd, 0, SEEK_CUR);
    return off < 0 ? 0 : (uint64_t) off;
}

static void note_write(int fd, uint64_t offset, size_t len) {
    pthread_mutex_lock(&lock);
    before_change(fd, offset, offset + len);
    pthread_mutex_unlock(&lock);
}

static void note_truncate(int fd, uint64_t length) {
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    pthread_mutex_lock(&lock);
    if ((uint64_t) st.st_size > length) {
        before_change(fd, length, (uint64_t) st.st_size);
        uint8_t buf[24], *p = buf;
        *p++ = 'T';
        put64(&p, (uint64_t) fd_ino[fd]);
        put64(&p, length);
        append(buf, (size_t) (p - buf));
    } else {
        before_change(fd, (uint64_t) st.st_size, length); /* the size changes; the old size is what matters */
    }
    pthread_mutex_unlock(&lock);
}

static void note_sync(int fd) {
    if (!active || fd < 0 || fd >= MAX_FDS || !fd_kind[fd]) return;
    pthread_mutex_lock(&lock);
    if (fd_kind[fd] == 2) {
        uint8_t d = 'D';
        append(&d, 1);
    } else {
        forget(fd_ino[fd]);
        log_ino('F', fd_ino[fd]);
    }
    pthread_mutex_unlock(&lock);
}

/* ---- open and close ---- */

static int adjust_flags(int dirfd, const char *path, int flags, char *name, int *created, int *dir, int *trunc) {
    *created = 0;
    *dir = 0;
    *trunc = 0;
    if (!active) return flags;
    if (watched_name(dirfd, path, name)) {
        struct stat st;
        int exists = fstatat(dirfd, path, &st, 0) == 0;
        if (exists && !S_ISREG(st.st_mode)) {
            name[0] = 0;
            return flags;
        }
        if ((flags & O_CREAT) && !exists) *created = 1;
        if ((flags & O_ACCMODE) == O_WRONLY) flags = (flags & ~O_ACCMODE) | O_RDWR;
        if (exists && (flags & O_TRUNC)) {
            /* truncated by after_open, once the old pages are logged through the new descriptor */
            flags &= ~O_TRUNC;
            *trunc = 1;
        }
        return flags;
    }
    name[0] = 0;
    if (is_watched_dir(dirfd, path)) *dir = 1;
    return flags;
}

static int after_open(int fd, const char *name, int created, int dir, int trunc) {
    if (fd < 0 || fd >= MAX_FDS || !active) return fd;
    fd_kind[fd] = 0;
    if (dir) {
        fd_kind[fd] = 2;
        return fd;
    }
    if (!name[0]) return fd;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return fd;
    fd_ino[fd] = st.st_ino;
    fd_kind[fd] = 1;
    free(fd_name[fd]);
    fd_name[fd] = strdup(name);
    if (trunc) {
        note_truncate(fd, 0);
        if (real_ftruncate(fd, 0) != 0) die("cannot truncate a file opened with O_TRUNC");
    }
    pthread_mutex_lock(&lock);
    if (created) {
        uint8_t buf[16 + NAME_MAX + 8], *p = buf;
        *p++ = 'C';
        put64(&p, (uint64_t) st.st_ino);
        putstr(&p, name);
        append(buf, (size_t) (p - buf));
    }
    pthread_mutex_unlock(&lock);
    return fd;
}

#define OPEN_BODY(call_real)                                                                       \
    mode_t mode = 0;                                                                               \
    if (flags & (O_CREAT | O_TMPFILE)) {                                                           \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode = (mode_t) va_arg(ap, int);                                                           \
        va_end(ap);                                                                                \
    }                                                                                              \
    resolve_all();                                                                                 \
    char name[NAME_MAX + 1] = "";                                                                  \
    int created, dir, trunc;                                                                       \
    flags = adjust_flags(DIRFD, path, flags, name, &created, &dir, &trunc);                        \
    int fd = call_real;                                                                            \
    return after_open(fd, name, created, dir, trunc);

#define DIRFD AT_FDCWD
int open(const char *path, int flags, ...) { OPEN_BODY(real_open(path, flags, mode)) }
int open64(const char *path, int flags, ...) { OPEN_BODY(real_open64(path, flags, mode)) }
#undef DIRFD
#define DIRFD dirfd
int openat(int dirfd, const char *path, int flags, ...) { OPEN_BODY(real_openat(dirfd, path, flags, mode)) }
int openat64(int dirfd, const char *path, int flags, ...) { OPEN_BODY(real_openat64(dirfd, path, flags, mode)) }
#undef DIRFD

int creat(const char *path, mode_t mode) { return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int creat64(const char *path, mode_t mode) { return open64(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

int close(int fd) {
    resolve_all();
    if (fd >= 0 && fd < MAX_FDS && fd_kind[fd]) {
        fd_kind[fd] = 0;
        free(fd_name[fd]);
        fd_name[fd] = NULL;
    }
    return real_close(fd);
}

/* ---- writes ---- */

ssize_t write(int fd, const void *buf, size_t n) {
    resolve_all();
    if (followed(fd)) note_write(fd, current_offset(fd), n);
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t offset) {
    resolve_all();
    if (followed(fd)) note_write(fd, (uint64_t) offset, n);
    return real_pwrite(fd, buf, n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t offset) {
    resolve_all();
    if (followed(fd)) note_write(fd, (uint64_t) offset, n);
    return real_pwrite64(fd, buf, n, offset);
}

static size_t iov_total(const struct iovec *iov, int count) {
    size_t total = 0;
    for (int i = 0; i < count; i++) total += iov[i].iov_len;
    return total;
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    resolve_all();
    if (followed(fd)) note_write(fd, current_offset(fd), iov_total(iov, count));
    return real_writev(fd, iov, count);
}

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset) {
    resolve_all();
    if (followed(fd)) note_write(fd, (uint64_t) offset, iov_total(iov, count));
    return real_pwritev(fd, iov, count, offset);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int count, off64_t offset) {
    resolve_all();
    if (followed(fd)) note_write(fd, (uint64_t) offset, iov_total(iov, count));
    return real_pwritev64(fd, iov, count, offset);
}

int ftruncate(int fd, off_t length) {
    resolve_all();
    if (followed(fd)) note_truncate(fd, (uint64_t) length);
    return real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length) {
    resolve_all();
    if (followed(fd)) note_truncate(fd, (uint64_t) length);
    return real_ftruncate64(fd, length);
}

/* ---- syncs: logged after the real call returned, so a process killed inside it has not synced ---- */

/*
 * POWERCUT_FREEZE=<name>:<n> stops the calling thread for good just before the n-th fsync/fdatasync of the file
 * <name> in the directory, after creating the file POWERCUT_LOG.frozen: the test then cuts the power at exactly that
 * point (before the database file's fsync: inside a checkpoint, with its pages written and not synced).
 */
static void maybe_freeze(int fd) {
    if (!freeze_countdown || !followed(fd) || !fd_name[fd] || strcmp(fd_name[fd], freeze_name) != 0) return;
    pthread_mutex_lock(&lock);
    long left = --freeze_countdown;
    pthread_mutex_unlock(&lock);
    if (left != 0) return;
    int marker = real_open(freeze_marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (marker < 0) die("cannot create the POWERCUT_FREEZE marker");
    real_close(marker);
    for (;;) pause();
}

int fsync(int fd) {
    resolve_all();
    maybe_freeze(fd);
    int rc = real_fsync(fd);
    if (rc == 0) note_sync(fd);
    return rc;
}

int fdatasync(int fd) {
    resolve_all();
    maybe_freeze(fd);
    int rc = real_fdatasync(fd);
    if (rc == 0) note_sync(fd);
    return rc;
}

/* sync_file_range makes no promise about the file's metadata or the disk's cache: it syncs nothing here. */
int sync_file_range(int fd, off64_t offset, off64_t nbytes, unsigned int flags) {
    resolve_all();
    return real_sync_file_range(fd, offset, nbytes, flags);
}

static void sync_everything(void) {
    if (!active) return;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < MAX_FILES; i++) {
        if (files[i].in_use) {
            log_ino('F', files[i].ino);
            free(files[i].pages);
            memset(&files[i], 0, sizeof files[i]);
        }
    }
    uint8_t d = 'D';
    append(&d, 1);
    pthread_mutex_unlock(&lock);
}

int syncfs(int fd) {
    resolve_all();
    int rc = real_syncfs(fd);
    if (rc == 0) sync_everything();
    return rc;
}

void sync(void) {
    resolve_all();
    real_sync();
    sync_everything();
}

/* ---- names: logged (and stashed) before the real call, undone by the applier only if it took effect ---- */

static int do_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags,
                     int use_at2) {
    char from[NAME_MAX + 1], to[NAME_MAX + 1];
    const char *f = watched_name(olddirfd, oldpath, from);
    const char *t = watched_name(newdirfd, newpath, to);
    if (f || t) {
        pthread_mutex_lock(&lock);
        struct stat st;
        if (fstatat(olddirfd, oldpath, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            char stashed[PATH_MAX] = "";
            if (t) stash(t, stashed, sizeof stashed);
            uint8_t buf[32 + 3 * (PATH_MAX + 4)], *p = buf;
            if (f && t) {
                *p++ = 'R';
                put64(&p, (uint64_t) st.st_ino);
                putstr(&p, f);
                putstr(&p, t);
                putstr(&p, stashed);
            } else if (t) {
                *p++ = 'C'; /* moved in from elsewhere: a new name here */
                put64(&p, (uint64_t) st.st_ino);
                putstr(&p, t);
            } else {
                *p++ = 'U'; /* moved out: the name is gone here, and nothing to put back */
                put64(&p, (uint64_t) st.st_ino);
                putstr(&p, f);
                putstr(&p, "");
            }
            append(buf, (size_t) (p - buf));
        }
        pthread_mutex_unlock(&lock);
    }
    if (use_at2) return real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
    return real_renameat(olddirfd, oldpath, newdirfd, newpath);
}

int rename(const char *oldpath, const char *newpath) {
    resolve_all();
    if (!active) return real_rename(oldpath, newpath);
    return do_rename(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0, 0);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    resolve_all();
    return do_rename(olddirfd, oldpath, newdirfd, newpath, 0, 0);
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    resolve_all();
    return do_rename(olddirfd, oldpath, newdirfd, newpath, flags, 1);
}

static void note_unlink(int dirfd, const char *path) {
    char name[NAME_MAX + 1];
    if (!watched_name(dirfd, path, name)) return;
    struct stat st;
    if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode)) return;
    pthread_mutex_lock(&lock);
    char stashed[PATH_MAX];
    stash(name, stashed, sizeof stashed);
    uint8_t buf[32 + 2 * (PATH_MAX + 4)], *p = buf;
    *p++ = 'U';
    put64(&p, (uint64_t) st.st_ino);
    putstr(&p, name);
    putstr(&p, stashed);
    append(buf, (size_t) (p - buf));
    pthread_mutex_unlock(&lock);
}

int unlink(const char *path) {
    resolve_all();
    note_unlink(AT_FDCWD, path);
    return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags) {
    resolve_all();
    if (!(flags & AT_REMOVEDIR)) note_unlink(dirfd, path);
    return real_unlinkat(dirfd, path, flags);
}

/* A directory made in the directory is a new name there, like a created file (undone: removed with its contents). */
static int note_mkdir(int rc, int dirfd, const char *path) {
    char name[NAME_MAX + 1];
    struct stat st;
    if (rc != 0 || !watched_name(dirfd, path, name) || fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return rc;
    }
    pthread_mutex_lock(&lock);
    uint8_t buf[16 + NAME_MAX + 8], *p = buf;
    *p++ = 'C';
    put64(&p, (uint64_t) st.st_ino);
    putstr(&p, name);
    append(buf, (size_t) (p - buf));
    pthread_mutex_unlock(&lock);
    return rc;
}

int mkdir(const char *path, mode_t mode) {
    resolve_all();
    return note_mkdir(real_mkdir(path, mode), AT_FDCWD, path);
}

int mkdirat(int dirfd, const char *path, mode_t mode) {
    resolve_all();
    return note_mkdir(real_mkdirat(dirfd, path, mode), dirfd, path);
}
