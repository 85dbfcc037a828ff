/*
 * quire-exec-agent: the resident exec agent of Quire CI (docs/exec-agent.md is the protocol this follows).
 *
 * Why it exists: every `docker exec` costs dockerd and runc tens of milliseconds of setup. The engine starts this
 * program once per run inside the run's container and sends it every later `sh` as a request on its stdin; it forks
 * the command itself and streams its stdout/stderr back as frames on its stdout. It listens on nothing.
 *
 * Shape: one thread, one poll() loop over stdin (requests), stdout (queued frames), a signalfd (SIGCHLD) and the two
 * output pipes of every running request. Everything is non-blocking and the queue towards the engine is bounded: when
 * the engine reads slowly the agent stops reading the requests' pipes (the commands then block on a full pipe) rather
 * than buffering without bound. The agent is a child subreaper, so whatever a request leaves behind comes back to
 * it; a /proc scan attributes every process to its request so that it can be killed when the request's main
 * process has exited (docs/exec-agent.md, "What the agent does with a request").
 *
 * Kept small and free of third-party code on purpose: it runs in every build container.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AGENT_VERSION "quire-exec-agent 1"
#define MAX_IN_PAYLOAD (1u << 20)      /* engine -> agent frames: at most 1 MiB */
#define MAX_OUT_PAYLOAD (64u << 10)    /* output frames: at most 64 KiB */
#define HDR 9                          /* type:u8 id:u32 length:u32 */
#define OUT_HIGH (1u << 20)            /* stop reading request pipes while this much waits for the engine */
#define MAX_REQ 256                    /* requests running at once */
#define SCAN_MS 100                    /* periodic /proc scan while requests run: remembers who belongs to whom */
#define DRAIN_IDLE_MS 1000             /* after the kill, give up on pipes that stay open and silent this long */
#define KILL_WAIT_MS 5000              /* bound on waiting for killed processes to disappear */
#define EXIT_PROTOCOL 70
#define EXIT_IO 74

#define TOKEN_VAR "QUIRE_EXEC_TOKEN="

/* A process seen under the agent, remembered across scans so that ancestry survives the parent's death. */
enum { UNATTRIBUTED = 0 };               /* req ids are > 0; 0 = ours but owner unknown */

struct req {
    uint32_t id;                /* 0 = free slot */
    pid_t pid;                  /* main process (also its session id: the child calls setsid) */
    unsigned long long start;   /* main's start time in clock ticks since boot (from /proc), 0 if unknown */
    char *token;                /* value of QUIRE_EXEC_TOKEN in its environment, or NULL */
    int out_fd, err_fd;         /* read ends, -1 when closed */
    int status_fd;              /* CLOEXEC pipe: a byte arrives only when the child could not exec */
    int main_done;              /* main process reaped */
    int status;                 /* its wait status */
    int cleaned;                /* left-behind processes killed; now draining pipes */
    int killed_others;          /* flag bit 0 */
    int start_failed;           /* flag bit 1: 126 or 127 */
    long long oom_before;       /* the container's OOM kill count when it started, -1 if unknown */
    long long idle_since;       /* draining: last time a pipe gave data */
};

static struct req reqs[MAX_REQ];
static pid_t self_pid;
static int sig_fd = -1;

/* ---------------------------------------------------------------------------------------------------------------- */
/* small helpers                                                                                                    */

static void diag(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int) sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    ssize_t ignored = write(2, "quire-exec-agent: ", 18);
    ignored = write(2, buf, (size_t) n);
    (void) ignored;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char) (v >> 24); p[1] = (unsigned char) (v >> 16);
    p[2] = (unsigned char) (v >> 8);  p[3] = (unsigned char) v;
}

static uint32_t get_u32(const unsigned char *p) {
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static void set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* the queue of frames towards the engine (fd 1)                                                                   */

static unsigned char *oq;
static size_t oq_start, oq_end, oq_cap;

static size_t oq_len(void) { return oq_end - oq_start; }

/* Makes room for n more bytes at the end; returns where they go. Control frames are small and few (bounded by the
 * number of requests), output frames are only added below OUT_HIGH, so the queue stays bounded. */
static unsigned char *oq_reserve(size_t n) {
    if (oq_start > 0 && oq_cap - oq_end < n) {
        memmove(oq, oq + oq_start, oq_len());
        oq_end -= oq_start;
        oq_start = 0;
    }
    if (oq_cap - oq_end < n) {
        size_t cap = oq_cap ? oq_cap : 65536;
        while (cap - oq_end < n) cap *= 2;
        unsigned char *b = realloc(oq, cap);
        if (!b) { diag("out of memory"); _exit(EXIT_IO); }
        oq = b;
        oq_cap = cap;
    }
    return oq + oq_end;
}

static void frame(unsigned char type, uint32_t id, const void *payload, uint32_t len) {
    unsigned char *p = oq_reserve(HDR + len);
    p[0] = type;
    put_u32(p + 1, id);
    put_u32(p + 5, len);
    if (len) memcpy(p + HDR, payload, len);
    oq_end += HDR + len;
}

static void kill_everything(void);

/* Writes what the engine can take now; the engine gone means nobody can be served: kill all and leave. */
static void oq_flush(void) {
    while (oq_len() > 0) {
        ssize_t n = write(1, oq + oq_start, oq_len());
        if (n > 0) { oq_start += (size_t) n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        diag("cannot write to stdout (%s): the engine is gone; killing every request", n < 0 ? strerror(errno) : "closed");
        kill_everything();
        _exit(EXIT_IO);
    }
    oq_start = oq_end = 0;
}

/* Before exiting: everything queued must still reach the engine. */
static void oq_flush_blocking(void) {
    int fl = fcntl(1, F_GETFL);
    if (fl >= 0) fcntl(1, F_SETFL, fl & ~O_NONBLOCK);
    while (oq_len() > 0) {
        ssize_t n = write(1, oq + oq_start, oq_len());
        if (n > 0) oq_start += (size_t) n;
        else if (n < 0 && errno == EINTR) continue;
        else break;
    }
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* /proc: which process belongs to which request                                                                    */

struct proc {
    pid_t pid, ppid, sid;
    char state;
    unsigned long long start;
    uint32_t req;       /* resolved owner: request id, UNATTRIBUTED, or NOT_OURS */
    int resolving;
};
#define NOT_OURS UINT32_MAX

static struct proc *snap;
static size_t snap_n, snap_cap;

/* Remembered owners, keyed by (pid, start time): a process keeps its owner after its parent has died. */
struct memo { pid_t pid; unsigned long long start; uint32_t req; };
static struct memo *memos;
static size_t memo_n, memo_cap;

static int read_stat(pid_t pid, struct proc *p) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    /* the command name may contain spaces and parentheses: fields resume after the last ')' */
    char *q = strrchr(buf, ')');
    if (!q) return -1;
    char state;
    int ppid, pgrp, sid;
    unsigned long long start;
    /* fields 3.. : state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
     * cstime priority nice num_threads itrealvalue starttime */
    if (sscanf(q + 2, "%c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
               &state, &ppid, &pgrp, &sid, &start) != 5) return -1;
    p->pid = pid; p->ppid = ppid; p->sid = sid; p->state = state; p->start = start;
    return 0;
}

static unsigned long long start_of(pid_t pid) {
    struct proc p;
    return read_stat(pid, &p) == 0 ? p.start : 0;
}

/* Does the process's environment hold this request's token? (readable for our own uid and as root) */
static int has_token(pid_t pid, const char *token) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", (int) pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t want = strlen(TOKEN_VAR) + strlen(token) + 1;      /* "QUIRE_EXEC_TOKEN=value\0" */
    char buf[8192];
    size_t have = 0;
    int found = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - have);
        if (n <= 0) break;
        have += (size_t) n;
        size_t i = 0;
        while (i < have) {                                      /* one NUL-terminated entry at a time */
            char *z = memchr(buf + i, 0, have - i);
            if (!z) break;
            size_t len = (size_t) (z - (buf + i));
            if (len + 1 == want && strncmp(buf + i, TOKEN_VAR, strlen(TOKEN_VAR)) == 0
                    && strcmp(buf + i + strlen(TOKEN_VAR), token) == 0) { found = 1; break; }
            i += len + 1;
        }
        if (found) break;
        memmove(buf, buf + i, have - i);                        /* keep the unfinished entry */
        have -= i;
        if (have == sizeof buf) have = 0;                       /* an entry longer than the buffer: not ours */
    }
    close(fd);
    return found;
}

static struct req *req_by_id(uint32_t id) {
    if (id == 0 || id == NOT_OURS) return NULL;
    for (int i = 0; i < MAX_REQ; i++) if (reqs[i].id == id) return &reqs[i];
    return NULL;
}

static struct req *req_by_pid(pid_t pid) {
    for (int i = 0; i < MAX_REQ; i++) if (reqs[i].id && reqs[i].pid == pid) return &reqs[i];
    return NULL;
}

static struct memo *memo_find(pid_t pid, unsigned long long start) {
    for (size_t i = 0; i < memo_n; i++) if (memos[i].pid == pid && memos[i].start == start) return &memos[i];
    return NULL;
}

static int by_pid(const void *a, const void *b) {
    pid_t x = ((const struct proc *) a)->pid, y = ((const struct proc *) b)->pid;
    return x < y ? -1 : x > y;
}

static struct proc *snap_find(pid_t pid) {
    struct proc key = { .pid = pid };
    return bsearch(&key, snap, snap_n, sizeof *snap, by_pid);  /* the snapshot is sorted by pid */
}

/* A process that is not (or no longer) below one of its request's processes: its session (the main is the
 * session leader) or its token name the request, if that request started no later than the process. */
static uint32_t owner_by_marks(const struct proc *p) {
    for (int i = 0; i < MAX_REQ; i++) {
        struct req *r = &reqs[i];
        if (!r->id || r->start > p->start) continue;
        if (p->sid == r->pid) return r->id;
    }
    for (int i = 0; i < MAX_REQ; i++) {
        struct req *r = &reqs[i];
        if (!r->id || !r->token || r->start > p->start) continue;
        if (has_token(p->pid, r->token)) return r->id;
    }
    /* no mark left: if exactly one request could have started it, it is that one's */
    uint32_t only = UNATTRIBUTED;
    for (int i = 0; i < MAX_REQ; i++) {
        struct req *r = &reqs[i];
        if (!r->id || r->start > p->start) continue;
        if (only != UNATTRIBUTED) return UNATTRIBUTED;
        only = r->id;
    }
    return only;
}

static uint32_t resolve(struct proc *p) {
    if (p->req) return p->req;
    if (p->resolving) return NOT_OURS;                           /* a cycle: the list changed under us */
    p->resolving = 1;
    uint32_t owner;
    struct memo *m = memo_find(p->pid, p->start);
    if (p->pid == self_pid) owner = NOT_OURS;
    else if (m && (m->req == UNATTRIBUTED || req_by_id(m->req))) owner = m->req ? m->req : owner_by_marks(p);
    else if (p->ppid == self_pid) {
        struct req *r = req_by_pid(p->pid);
        owner = r ? r->id : owner_by_marks(p);                  /* a main process, or an orphan handed to us */
    } else {
        struct proc *parent = snap_find(p->ppid);
        owner = parent ? resolve(parent) : NOT_OURS;
        if (owner == UNATTRIBUTED) owner = owner_by_marks(p);
    }
    p->req = owner;
    return owner;
}

/* Reads /proc and attributes every process below the agent; remembers the owners for later scans. */
static void scan(void) {
    snap_n = 0;
    DIR *d = opendir("/proc");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        pid_t pid = (pid_t) strtol(e->d_name, NULL, 10);
        if (snap_n == snap_cap) {
            size_t cap = snap_cap ? snap_cap * 2 : 512;
            struct proc *s = realloc(snap, cap * sizeof *s);
            if (!s) break;
            snap = s; snap_cap = cap;
        }
        struct proc *p = &snap[snap_n];
        memset(p, 0, sizeof *p);
        if (read_stat(pid, p) == 0) snap_n++;
    }
    closedir(d);
    qsort(snap, snap_n, sizeof *snap, by_pid);
    for (size_t i = 0; i < snap_n; i++) resolve(&snap[i]);
    /* the new memo: exactly the processes of this scan that are ours */
    memo_n = 0;
    for (size_t i = 0; i < snap_n; i++) {
        if (snap[i].req == NOT_OURS) continue;
        if (memo_n == memo_cap) {
            size_t cap = memo_cap ? memo_cap * 2 : 256;
            struct memo *m = realloc(memos, cap * sizeof *m);
            if (!m) break;
            memos = m; memo_cap = cap;
        }
        memos[memo_n++] = (struct memo) { snap[i].pid, snap[i].start, snap[i].req };
    }
}

/* Is this process the request's, for killing? Its own, or one nobody else still running could own. */
static int to_kill(const struct proc *p, const struct req *r) {
    if (p->req == r->id) return 1;
    if (p->req != UNATTRIBUTED) return 0;
    for (int i = 0; i < MAX_REQ; i++) {
        const struct req *o = &reqs[i];
        if (o->id && o != r && !o->cleaned && o->start <= p->start) return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* reaping and killing                                                                                              */

static void reap_all(void) {
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        struct req *r = req_by_pid(pid);
        if (r && !r->main_done) { r->main_done = 1; r->status = st; }
    }
}

/* Kills every process of the request (the main too, if still there) and waits until they are gone: SIGSTOP first,
 * repeated until a scan finds nothing new, so that a process forking in a loop cannot outrun the kill; then
 * SIGKILL to all of them at once, and reap. */
static pid_t *stopped;                                          /* pids sent SIGSTOP in this round of kill_tree */
static size_t stopped_n, stopped_cap;

static int stop_once(pid_t pid) {
    for (size_t i = 0; i < stopped_n; i++) if (stopped[i] == pid) return 0;
    if (stopped_n == stopped_cap) {
        size_t cap = stopped_cap ? stopped_cap * 2 : 64;
        pid_t *s = realloc(stopped, cap * sizeof *s);
        if (!s) return 0;
        stopped = s; stopped_cap = cap;
    }
    stopped[stopped_n++] = pid;
    kill(pid, SIGSTOP);
    return 1;
}

/* The fast path after a main process's exit: whatever it left is now a child of the agent (subreaper), so when the
 * agent's only children are the main processes of requests, nothing was left and no /proc scan is needed. */
static int only_mains_below(void) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int) self_pid, (int) self_pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0 || n == (ssize_t) sizeof buf - 1) return 0;   /* unreadable or too many to look at: scan */
    buf[n] = 0;
    for (char *p = buf, *end; *p; p = end) {
        long pid = strtol(p, &end, 10);
        if (end == p) break;
        if (!req_by_pid((pid_t) pid)) return 0;
    }
    return 1;
}

/* Cheaper still, and the common case of one `sh` at a time: the agent has no child at all (the main was reaped). */
static int no_children(void) {
    siginfo_t si;
    return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD;
}

static void kill_tree(struct req *r) {
    long long deadline = now_ms() + KILL_WAIT_MS;
    reap_all();
    for (;;) {
        if (r->main_done && (no_children() || only_mains_below())) break;
        reap_all();
        scan();
        int any = 0;
        stopped_n = 0;
        for (int round = 0; round < 1000; round++) {
            int fresh = 0;
            for (size_t i = 0; i < snap_n; i++) {
                struct proc *p = &snap[i];
                if (!to_kill(p, r)) continue;
                any = 1;                                        /* zombies too: X waits until they are reaped */
                if (p->state != 'Z' && p->state != 'X') fresh |= stop_once(p->pid);
            }
            if (!fresh) break;
            scan();                                             /* children forked before the stop arrived */
        }
        if (!r->main_done && r->pid > 0) kill(-r->pid, SIGKILL);  /* the session's group, even without /proc */
        if (!any && r->main_done) break;
        for (size_t i = 0; i < snap_n; i++) {
            struct proc *p = &snap[i];
            if (p->state == 'Z' || p->state == 'X' || !to_kill(p, r)) continue;
            if (kill(p->pid, SIGKILL) == 0 && p->pid != r->pid) r->killed_others = 1;
        }
        if (now_ms() > deadline) { diag("request %u: processes still there after SIGKILL", r->id); break; }
        struct pollfd pf = { sig_fd, POLLIN, 0 };                 /* wait for a SIGCHLD, or 1 ms */
        poll(&pf, 1, 1);
        if (pf.revents) { struct signalfd_siginfo si; ssize_t ignored = read(sig_fd, &si, sizeof si); (void) ignored; }
    }
    if (!r->main_done) { r->main_done = 1; r->status = SIGKILL; }  /* stuck (uninterruptible): report it killed */
    r->cleaned = 1;
    r->idle_since = now_ms();
}

static void close_fd(int *fd) { if (*fd >= 0) { close(*fd); *fd = -1; } }

static void free_req(struct req *r) {
    close_fd(&r->out_fd);
    close_fd(&r->err_fd);
    close_fd(&r->status_fd);
    free(r->token);
    memset(r, 0, sizeof *r);
    r->out_fd = r->err_fd = r->status_fd = -1;
}

/* How many processes the kernel has OOM-killed in this container's memory cgroup (cgroup v2 memory.events, else v1
   memory.oom_control), -1 when neither can be read. The kernel counts the kill before the victim dies, so a count
   read after a request's main process was reaped includes every OOM kill that hit the request's processes: unlike
   Docker's "oom" event, which reaches the engine later and on another stream. */
static long long oom_count_in(int fd) {
    char buf[1024];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);             /* from the start: the kernel writes it afresh */
    if (n <= 0) return -1;
    buf[n] = 0;
    char *at = strstr(buf, "oom_kill ");
    return at && (at == buf || at[-1] == '\n') ? strtoll(at + 9, NULL, 10) : -1;
}

static long long oom_kills(void) {
    static int oom_fd = -2;                                     /* -2: not looked for yet; -1: neither readable */
    static const char *files[] = {"/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"};
    if (oom_fd == -2) {                                         /* read twice per request: keep the file open */
        oom_fd = -1;
        for (int f = 0; f < 2 && oom_fd < 0; f++) {
            int fd = open(files[f], O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            if (oom_count_in(fd) >= 0) oom_fd = fd; else close(fd);
        }
    }
    return oom_fd < 0 ? -1 : oom_count_in(oom_fd);
}

static void send_exit(struct req *r) {
    unsigned char p[6];
    int32_t code;
    unsigned char sig = 0;
    if (WIFEXITED(r->status)) code = WEXITSTATUS(r->status);
    else if (WIFSIGNALED(r->status)) { sig = (unsigned char) WTERMSIG(r->status); code = 128 + sig; }
    else code = 255;
    put_u32(p, (uint32_t) code);
    p[4] = sig;
    long long oom_now = r->oom_before < 0 ? -1 : oom_kills();
    int oom = r->oom_before >= 0 && oom_now > r->oom_before;
    int known = r->oom_before >= 0 && oom_now >= 0;
    p[5] = (unsigned char) ((r->killed_others ? 1 : 0) | (r->start_failed ? 2 : 0) | (oom ? 4 : 0) | (known ? 8 : 0));
    frame('X', r->id, p, sizeof p);
    free_req(r);
}

/* Q, EOF on stdin, a protocol error or the engine gone: nothing a request started may stay. */
static void kill_everything(void) {
    for (int i = 0; i < MAX_REQ; i++) if (reqs[i].id) reqs[i].cleaned = 0;
    for (int i = 0; i < MAX_REQ; i++) if (reqs[i].id) kill_tree(&reqs[i]);
}

/* Q / EOF: kill, tell the engine how each request ended (its unread output is dropped) and leave. */
static void quit(int code) {
    kill_everything();
    for (int i = 0; i < MAX_REQ; i++) if (reqs[i].id) send_exit(&reqs[i]);
    oq_flush_blocking();
    exit(code);
}

static void protocol_error(const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diag("protocol error: %s; killing every request and exiting %d", buf, EXIT_PROTOCOL);
    kill_everything();
    oq_flush_blocking();
    exit(EXIT_PROTOCOL);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* starting a request                                                                                               */

/* In the child, after a failure: the reason on its stderr, the code on the status pipe, gone. */
__attribute__((noreturn))
static void child_fail(int status_w, int code, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n > (int) sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    ssize_t ignored = write(2, buf, (size_t) n);
    unsigned char c = (unsigned char) code;
    ignored = write(status_w, &c, 1);
    (void) ignored;
    _exit(code);
}

/* execve with argv[0] looked up in the command's own PATH (not the agent's), as docker exec does. */
__attribute__((noreturn))
static void exec_lookup(char **argv, char **envp, int status_w) {
    const char *cmd = argv[0];
    if (strchr(cmd, '/')) {
        execve(cmd, argv, envp);
        int err = errno;
        child_fail(status_w, err == ENOENT || err == ENOTDIR ? 127 : 126,
                   "quire-exec-agent: exec: \"%s\": %s", cmd, strerror(err));
    }
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";  /* runc's default */
    for (char **e = envp; *e; e++) if (strncmp(*e, "PATH=", 5) == 0) { path = *e + 5; break; }
    int denied = 0, other = 0;
    char full[PATH_MAX];
    while (*cmd) {
        const char *end = strchr(path, ':');
        size_t dlen = end ? (size_t) (end - path) : strlen(path);
        const char *dir = dlen ? path : ".";
        if (dlen == 0) dlen = 1;
        if (dlen + 1 + strlen(cmd) < sizeof full) {
            memcpy(full, dir, dlen);
            full[dlen] = '/';
            strcpy(full + dlen + 1, cmd);
            execve(full, argv, envp);
            if (errno == EACCES) denied = errno;
            else if (errno != ENOENT && errno != ENOTDIR) { other = errno; break; }
        }
        if (!end) break;
        path = end + 1;
    }
    if (other) child_fail(status_w, 126, "quire-exec-agent: exec: \"%s\": %s", cmd, strerror(other));
    if (denied) child_fail(status_w, 126, "quire-exec-agent: exec: \"%s\": permission denied", cmd);
    child_fail(status_w, 127, "quire-exec-agent: exec: \"%s\": executable file not found in $PATH", cmd);
}

#define MAX_GROUPS 256                                          /* supplementary groups a request may carry */

/* Never inlined, and never the target of a tail call: in the vfork child its locals must sit in a frame of its own,
 * below the agent's, never in stack slots of start_request that the agent still needs after the child has exec'd. */
__attribute__((noinline))
static void run_child(const char *user, const char *cwd, char **argv, char **envp, int out_w, int err_w, int status_w) {
    setsid();                                                   /* own session and process group */
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);                       /* the agent blocks SIGCHLD for its signalfd */
    signal(SIGPIPE, SIG_DFL);                                   /* an ignored signal would survive execve */
    int null = open("/dev/null", O_RDONLY);
    if (dup2(err_w, 2) < 0) _exit(126);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out_w, 1) < 0)
        child_fail(status_w, 126, "quire-exec-agent: cannot set up stdin/stdout: %s", strerror(errno));
    if (null > 2) close(null);
    int in_cwd = *cwd && chdir(cwd) == 0;
    if (*user) {
        char *colon;
        unsigned long uid = strtoul(user, &colon, 10), gid = 0;
        char *end = colon;
        if (*colon == ':') gid = strtoul(colon + 1, &end, 10);
        int bad = colon == user || *colon != ':' || end == colon + 1;
        /* then the supplementary groups, when docker exec would give some (a user named without a group):
           uid:gid:g1,g2,... */
        gid_t groups[MAX_GROUPS];
        size_t ngroups = 0;
        if (!bad && *end == ':') {
            char *p = end;
            do {
                char *q;
                unsigned long g = strtoul(p + 1, &q, 10);
                if (q == p + 1 || ngroups == MAX_GROUPS) { bad = 1; break; }
                groups[ngroups++] = (gid_t) g;
                p = q;
            } while (*p == ',');
            end = p;
        }
        if (bad || *end)
            child_fail(status_w, 126, "quire-exec-agent: user \"%s\" is not uid:gid[:groups]", user);
        if ((uid_t) uid != geteuid() || (gid_t) gid != getegid() || geteuid() == 0) {
            if (setgroups(ngroups, ngroups ? groups : NULL) < 0 && errno != EPERM)
                child_fail(status_w, 126, "quire-exec-agent: setgroups: %s", strerror(errno));
            if (setgid((gid_t) gid) < 0)
                child_fail(status_w, 126, "quire-exec-agent: setgid %lu: %s", gid, strerror(errno));
            if (setuid((uid_t) uid) < 0)
                child_fail(status_w, 126, "quire-exec-agent: setuid %lu: %s", uid, strerror(errno));
        }
    }
    /* docker exec (runc) enters cwd while still root, so a user may work in a folder it could not enter itself
       (a root-owned 0700 workspace mounted at /work): do the same, and try again as the user when root could not */
    if (*cwd && !in_cwd && chdir(cwd) < 0)
        child_fail(status_w, 126, "quire-exec-agent: chdir to cwd \"%s\": %s", cwd, strerror(errno));
    exec_lookup(argv, envp, status_w);
}

/* A cursor over an R payload. */
struct cur { const unsigned char *p; uint32_t left; };

static int take_u32(struct cur *c, uint32_t *v) {
    if (c->left < 4) return -1;
    *v = get_u32(c->p);
    c->p += 4; c->left -= 4;
    return 0;
}

static char *take_string(struct cur *c, const char *what) {
    uint32_t n;
    if (take_u32(c, &n) < 0 || n > c->left) protocol_error("run request: %s cut short", what);
    if (memchr(c->p, 0, n)) protocol_error("run request: NUL byte inside %s", what);
    char *s = malloc(n + 1);
    if (!s) protocol_error("out of memory");
    memcpy(s, c->p, n);
    s[n] = 0;
    c->p += n; c->left -= n;
    return s;
}

static char **take_list(struct cur *c, const char *what, uint32_t *count) {
    if (take_u32(c, count) < 0) protocol_error("run request: %s count missing", what);
    if (*count > c->left / 4) protocol_error("run request: %s count %u larger than the frame", what, *count);
    char **v = calloc(*count + 1, sizeof *v);
    if (!v) protocol_error("out of memory");
    for (uint32_t i = 0; i < *count; i++) v[i] = take_string(c, what);
    return v;
}

static void free_list(char **v) {
    if (!v) return;
    for (char **p = v; *p; p++) free(*p);
    free(v);
}

/* Reports a request that never got a process (no free slot, fork failed) as a start failure. */
static void refuse(uint32_t id, int code, const char *why) {
    char msg[256];
    int n = snprintf(msg, sizeof msg, "quire-exec-agent: %s\n", why);
    frame('E', id, msg, (uint32_t) n);
    unsigned char p[6];
    put_u32(p, (uint32_t) code);
    p[4] = 0;
    p[5] = 2;
    frame('X', id, p, sizeof p);
}

static void start_request(uint32_t id, const unsigned char *payload, uint32_t len) {
    long long oom_before = oom_kills();
    if (id == 0) protocol_error("run request with id 0");
    if (req_by_id(id)) protocol_error("run request id %u is already running", id);
    struct cur c = { payload, len };
    char *user = take_string(&c, "user");
    char *cwd = take_string(&c, "cwd");
    uint32_t argc, envc;
    char **argv = take_list(&c, "argv", &argc);
    char **envp = take_list(&c, "env", &envc);
    if (c.left) protocol_error("run request %u: %u bytes after the environment", id, c.left);
    if (argc == 0) protocol_error("run request %u: empty argv", id);

    struct req *r = NULL;
    for (int i = 0; i < MAX_REQ && !r; i++) if (!reqs[i].id) r = &reqs[i];
    int out[2] = { -1, -1 }, err[2] = { -1, -1 }, st[2] = { -1, -1 };
    if (!r) { refuse(id, 126, "too many requests running at once"); goto done; }
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 || pipe2(st, O_CLOEXEC) < 0) {
        char why[128];
        snprintf(why, sizeof why, "cannot create pipes: %s", strerror(errno));
        refuse(id, 126, why);
        goto done;
    }
    fcntl(out[0], F_SETPIPE_SZ, 1 << 20);                       /* fewer wake-ups on a flood; best effort */
    /* vfork, not fork: the child borrows the agent's memory until it has exec'd (the agent waits that long), so no
     * page tables are copied and neither side takes copy-on-write faults afterwards; on the test machine that halves
     * the cost of starting a command (docs/exec-agent.md). The child only makes system calls, formats a message and
     * execs or _exits (run_child): it changes no memory the agent uses, except errno. */
    pid_t pid = vfork();
    if (pid < 0) {
        char why[128];
        snprintf(why, sizeof why, "vfork: %s", strerror(errno));
        refuse(id, 126, why);
        goto done;
    }
    if (pid == 0) {
        run_child(user, cwd, argv, envp, out[1], err[1], st[1]);
        _exit(126);                                             /* not reached: it execs or _exits */
    }
    close(out[1]); close(err[1]); close(st[1]);
    out[1] = err[1] = st[1] = -1;
    set_nonblock(out[0]);
    set_nonblock(err[0]);
    set_nonblock(st[0]);
    memset(r, 0, sizeof *r);
    r->id = id;
    r->pid = pid;
    r->start = start_of(pid);
    r->oom_before = oom_before;
    r->out_fd = out[0]; r->err_fd = err[0]; r->status_fd = st[0];
    out[0] = err[0] = st[0] = -1;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, TOKEN_VAR, strlen(TOKEN_VAR)) == 0 && (*e)[strlen(TOKEN_VAR)]) {
            r->token = strdup(*e + strlen(TOKEN_VAR));
            break;
        }
    unsigned char p[4];
    put_u32(p, (uint32_t) pid);
    frame('S', id, p, sizeof p);
done:
    for (int i = 0; i < 2; i++) { if (out[i] >= 0) close(out[i]); if (err[i] >= 0) close(err[i]); if (st[i] >= 0) close(st[i]); }
    free(user); free(cwd); free_list(argv); free_list(envp);
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* frames from the engine                                                                                           */

static unsigned char ib[HDR + MAX_IN_PAYLOAD];
static size_t ib_len;

static void handle_frame(unsigned char type, uint32_t id, const unsigned char *payload, uint32_t len) {
    switch (type) {
    case 'R':
        start_request(id, payload, len);
        break;
    case 'K': {
        if (len != 1) protocol_error("kill frame for %u has %u payload bytes, expected 1", id, len);
        struct req *r = req_by_id(id);
        if (!r || r->cleaned) break;                             /* already ending: its X is on the way */
        int sig = payload[0];
        if (sig == SIGKILL) { kill_tree(r); break; }
        if (sig < 1 || sig > 64) protocol_error("kill frame for %u: signal %d", id, sig);
        scan();                                                 /* another signal: to every process, no wait */
        for (size_t i = 0; i < snap_n; i++) if (to_kill(&snap[i], r)) kill(snap[i].pid, sig);
        break;
    }
    case 'Q':
        if (len) protocol_error("quit frame with %u payload bytes", len);
        quit(0);
        break;
    default:
        protocol_error("unknown frame type 0x%02x", type);
    }
}

/* Reads what stdin has and handles every complete frame. */
static void read_stdin(void) {
    ssize_t n = read(0, ib + ib_len, sizeof ib - ib_len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        if (ib_len) protocol_error("stdin ended inside a frame (%zu bytes)", ib_len);
        diag("stdin closed: killing every request and exiting");
        quit(0);
    }
    ib_len += (size_t) n;
    size_t off = 0;
    while (ib_len - off >= HDR) {
        const unsigned char *h = ib + off;
        uint32_t len = get_u32(h + 5);
        if (h[0] != 'R' && h[0] != 'K' && h[0] != 'Q') protocol_error("unknown frame type 0x%02x", h[0]);
        if (len > MAX_IN_PAYLOAD) protocol_error("frame length %u over the 1 MiB limit", len);
        if (ib_len - off < HDR + (size_t) len) break;
        handle_frame(h[0], get_u32(h + 1), h + HDR, len);
        off += HDR + len;
    }
    memmove(ib, ib + off, ib_len - off);
    ib_len -= off;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* the loop                                                                                                         */

/* One read (at most one output frame) from a request's pipe: a flooding request gets no more turns than others. */
static void read_pipe(struct req *r, int *fd, unsigned char type) {
    unsigned char *p = oq_reserve(HDR + MAX_OUT_PAYLOAD);
    ssize_t n = read(*fd, p + HDR, MAX_OUT_PAYLOAD);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) { close_fd(fd); return; }
    p[0] = type;
    put_u32(p + 1, r->id);
    put_u32(p + 5, (uint32_t) n);
    oq_end += HDR + (size_t) n;
    r->idle_since = now_ms();
}

/* The main process is gone: note a start failure, kill what it left, then drain (X follows the pipes' end). */
static void finish_main(struct req *r) {
    unsigned char c;
    if (r->status_fd >= 0 && read(r->status_fd, &c, 1) == 1) r->start_failed = 1;
    close_fd(&r->status_fd);
    kill_tree(r);
}

int main(int argc, char **argv) {
    (void) argv;
    if (argc > 1) {
        fprintf(stderr, "usage: quire-exec-agent (no arguments; speaks the protocol of docs/exec-agent.md on stdin/stdout)\n");
        return 2;
    }
    self_pid = getpid();
    for (int i = 0; i < MAX_REQ; i++) reqs[i].out_fd = reqs[i].err_fd = reqs[i].status_fd = -1;
    signal(SIGPIPE, SIG_IGN);                                   /* a closed pipe is an error code, not death */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) diag("cannot become a child subreaper: %s", strerror(errno));
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sig_fd < 0) { diag("signalfd: %s", strerror(errno)); return EXIT_IO; }
    set_nonblock(0);
    set_nonblock(1);

    unsigned char hello[4 + sizeof AGENT_VERSION - 1 + 4];
    put_u32(hello, sizeof AGENT_VERSION - 1);
    memcpy(hello + 4, AGENT_VERSION, sizeof AGENT_VERSION - 1);
    put_u32(hello + 4 + sizeof AGENT_VERSION - 1, (uint32_t) self_pid);
    frame('H', 0, hello, sizeof hello);

    struct pollfd pf[3 + 2 * MAX_REQ];
    struct { struct req *r; int *fd; unsigned char type; } who[2 * MAX_REQ];
    unsigned rotate = 0;
    long long last_scan = now_ms();
    for (;;) {
        int n = 0, running = 0, draining = 0;
        pf[n++] = (struct pollfd) { 0, POLLIN, 0 };
        pf[n++] = (struct pollfd) { sig_fd, POLLIN, 0 };
        pf[n++] = (struct pollfd) { 1, oq_len() ? POLLOUT : 0, 0 };
        int base = n, w = 0;
        for (int k = 0; k < MAX_REQ; k++) {
            struct req *r = &reqs[(k + rotate) % MAX_REQ];      /* rotating start: no request always goes first */
            if (!r->id) continue;
            if (r->cleaned) draining++; else running++;
            if (oq_len() >= OUT_HIGH) continue;                 /* back-pressure: let the engine catch up */
            if (r->out_fd >= 0) { who[w] = (typeof(who[0])) { r, &r->out_fd, 'O' }; pf[n++] = (struct pollfd) { r->out_fd, POLLIN, 0 }; w++; }
            if (r->err_fd >= 0) { who[w] = (typeof(who[0])) { r, &r->err_fd, 'E' }; pf[n++] = (struct pollfd) { r->err_fd, POLLIN, 0 }; w++; }
        }
        rotate++;
        int timeout = running ? SCAN_MS : -1;
        if (draining && oq_len() < OUT_HIGH) timeout = 50;
        if (poll(pf, (nfds_t) n, timeout) < 0 && errno != EINTR) { diag("poll: %s", strerror(errno)); quit(EXIT_IO); }

        if (pf[2].revents & (POLLERR | POLLHUP)) {
            diag("stdout closed: the engine is gone; killing every request");
            kill_everything();
            _exit(EXIT_IO);
        }
        if (pf[2].revents & POLLOUT) oq_flush();
        if (pf[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sig_fd, &si, sizeof si) > 0) { }
            reap_all();
        }
        for (int i = 0; i < w; i++) {
            if (!(pf[base + i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (oq_len() >= OUT_HIGH) break;
            if (*who[i].fd >= 0) read_pipe(who[i].r, who[i].fd, who[i].type);
        }
        if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) read_stdin();

        if (running && now_ms() - last_scan >= SCAN_MS) { scan(); last_scan = now_ms(); }
        for (int i = 0; i < MAX_REQ; i++) {
            struct req *r = &reqs[i];
            if (!r->id) continue;
            if (r->main_done && !r->cleaned) finish_main(r);
            if (!r->cleaned) continue;
            if (r->out_fd >= 0 || r->err_fd >= 0) {
                /* something that escaped every mark still holds a pipe: do not wait for it forever */
                if (oq_len() >= OUT_HIGH || now_ms() - r->idle_since < DRAIN_IDLE_MS) continue;
                diag("request %u: its pipes stay open after the kill; closing them", r->id);
            }
            send_exit(r);
        }
        if (oq_len()) oq_flush();
    }
}
