# shellcheck shell=bash
# Shared helpers for bin/run and bin/test. Source it; do not execute it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Everything here is written to work under `set -euo pipefail`, from a clean
# clone on a fresh Debian 12 machine (root, or a user with sudo), and to be
# re-runnable. Services (PostgreSQL, Redis, the SMTP sink) only ever listen on
# 127.0.0.1.

if [[ -n "${_MELDPUNT_LIB_LOADED:-}" ]]; then
    return 0
fi
_MELDPUNT_LIB_LOADED=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
VENV_DIR="$REPO_ROOT/.venv"
HOST_PYTHON="${HOST_PYTHON:-python3}"

# --------------------------------------------------------------------------
# Output and timing
# --------------------------------------------------------------------------

_now() { date +%s.%N; }

_elapsed() { # _elapsed START -> "1.2s"
    awk -v s="$1" -v e="$(_now)" 'BEGIN { printf "%.1fs", e - s }'
}

info() { printf '    %s\n' "$*"; }
warn() { printf '!!  %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# run_step "Title" COMMAND [ARGS...]
# Prints a numbered header, runs COMMAND in the current shell (so exports stick)
# with `set -e` in force, and prints its duration. A failing step ends the
# script with the step's exit code; the EXIT trap (run_cleanup) then reports
# which step failed. Never call run_step inside `if`, `&&` or `||`: that would
# switch off `set -e` for the whole step. Set STEP_TOTAL to show "[n/N]".
STEP_NO=0
_STEP_LABEL=""
_STEP_TITLE=""
_STEP_START=""
_STEP_SUMMARY=()
run_step() {
    _STEP_TITLE="$1"
    shift
    STEP_NO=$((STEP_NO + 1))
    _STEP_LABEL="[$STEP_NO${STEP_TOTAL:+/$STEP_TOTAL}]"
    _STEP_START="$(_now)"
    printf '\n==> %s %s\n' "$_STEP_LABEL" "$_STEP_TITLE"
    "$@"
    local took
    took="$(_elapsed "$_STEP_START")"
    printf '<== %s %s: ok (%s)\n' "$_STEP_LABEL" "$_STEP_TITLE" "$took"
    _STEP_SUMMARY+=("$(printf '%-6s %-7s %s' "$_STEP_LABEL" "$took" "$_STEP_TITLE")")
    _STEP_TITLE=""
}

# print_step_summary: one line per finished (and the failed) step.
print_step_summary() {
    ((${#_STEP_SUMMARY[@]} > 0)) || return 0
    printf '\nStep timings:\n'
    printf '  %s\n' "${_STEP_SUMMARY[@]}"
}

_report_failed_step() { # called from run_cleanup with the exit status
    local rc="$1" took
    [[ -n "$_STEP_TITLE" && "$rc" -ne 0 ]] || return 0
    took="$(_elapsed "$_STEP_START")"
    printf '<== %s %s: FAILED (exit %d, %s)\n' "$_STEP_LABEL" "$_STEP_TITLE" "$rc" "$took" >&2
    _STEP_SUMMARY+=("$(printf '%-6s %-7s %s  FAILED (exit %d)' "$_STEP_LABEL" "$took" "$_STEP_TITLE" "$rc")")
    _STEP_TITLE=""
}

# --------------------------------------------------------------------------
# Cleanup registry: on_exit "command string"; run in reverse order by
# run_cleanup, which the commands install as their EXIT trap.
# --------------------------------------------------------------------------

_CLEANUP=()

on_exit() {
    _CLEANUP+=("$*")
}

run_cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    _report_failed_step "$rc"
    local i
    for ((i = ${#_CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${_CLEANUP[i]}"
    done
    _CLEANUP=()
    [[ -n "${SHOW_STEP_SUMMARY:-}" ]] && print_step_summary
    return "$rc"
}

# install_traps: cleanup on normal exit, on errors (set -e) and on Ctrl-C / TERM.
install_traps() {
    trap run_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# --------------------------------------------------------------------------
# Privileges
# --------------------------------------------------------------------------

is_root() { [[ "$(id -u)" -eq 0 ]]; }

as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

# Run a command as the PostgreSQL OS user (PostgreSQL refuses to run as root).
# As a normal user we simply run it as ourselves. Runs from / because the
# postgres user may not be allowed into the current directory (pass absolute paths).
as_pg_user() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------

deb_installed() { # deb_installed PACKAGE
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

_APT_UPDATED=0

# ensure_apt_packages [EXTRA_PACKAGE...]
# Installs whatever of the base set (plus the extras) is missing; runs
# `apt-get update` once and only if something has to be installed.
ensure_apt_packages() {
    local wanted=(redis-server libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core "$@")
    local missing=() pkg
    if [[ ! -x "$PG_BIN/initdb" ]]; then
        missing+=(postgresql-15)
    fi
    if ! command -v npm >/dev/null 2>&1; then
        command -v node >/dev/null 2>&1 || missing+=(nodejs)
        missing+=(npm)
    fi
    if [[ ! -x "$VENV_DIR/bin/python" ]] && ! "$HOST_PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    for pkg in "${wanted[@]}"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        info "all required Debian packages are installed"
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get to install them"
    info "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Keep package postinst scripts from starting system-wide services (the
    # redis-server / postgresql "main" instances): we run our own on loopback.
    local policy_created=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
        policy_created=1
    fi
    local rc=0
    if ((_APT_UPDATED == 0)); then
        as_root apt-get update -qq || rc=$?
        _APT_UPDATED=1
    fi
    if ((rc == 0)); then
        as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends \
            -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" >/dev/null || rc=$?
    fi
    if ((policy_created)); then
        as_root rm -f /usr/sbin/policy-rc.d
    fi
    ((rc == 0)) || die "apt-get failed (exit $rc) installing: ${missing[*]}"
}

# --------------------------------------------------------------------------
# Python virtualenv and node_modules (stamp files skip needless reinstalls)
# --------------------------------------------------------------------------

_sha256_of_files() {
    cat "$@" | sha256sum | cut -d' ' -f1
}

# ensure_venv: .venv in the repo root with requirements/dev.txt installed.
# Reinstalls only when sha256(base.txt + dev.txt) differs from .venv/.requirements.sha256.
ensure_venv() {
    local base="$REPO_ROOT/requirements/base.txt" dev="$REPO_ROOT/requirements/dev.txt"
    [[ -f "$base" && -f "$dev" ]] || die "requirements/base.txt and requirements/dev.txt are required"
    if [[ -x "$VENV_DIR/bin/python" ]] && ! "$VENV_DIR/bin/python" -c 'import pip' >/dev/null 2>&1; then
        warn ".venv is broken (no working python/pip); recreating it"
        rm -rf "$VENV_DIR"
    fi
    if [[ ! -x "$VENV_DIR/bin/python" ]]; then
        info "creating .venv with $("$HOST_PYTHON" --version 2>&1)"
        "$HOST_PYTHON" -m venv "$VENV_DIR"
    fi
    local stamp_file="$VENV_DIR/.requirements.sha256" want have=""
    want="$(_sha256_of_files "$base" "$dev")"
    [[ -f "$stamp_file" ]] && have="$(cat "$stamp_file")"
    if [[ "$want" != "$have" ]]; then
        info "installing Python requirements (requirements/dev.txt)"
        (cd "$REPO_ROOT" && "$VENV_DIR/bin/python" -m pip install -q --disable-pip-version-check \
            -r requirements/dev.txt)
        printf '%s\n' "$want" >"$stamp_file"
    else
        info "Python requirements up to date"
    fi
    export VIRTUAL_ENV="$VENV_DIR"
    case ":$PATH:" in
        *":$VENV_DIR/bin:"*) ;;
        *) export PATH="$VENV_DIR/bin:$PATH" ;;
    esac
}

# ensure_node_modules: `npm ci` when package-lock.json's sha256 differs from
# node_modules/.package-lock.sha256.
ensure_node_modules() {
    local lock="$REPO_ROOT/package-lock.json"
    [[ -f "$REPO_ROOT/package.json" ]] || die "package.json is missing"
    if [[ ! -f "$lock" ]]; then
        warn "package-lock.json is missing; running npm install to create it"
        (cd "$REPO_ROOT" && npm install --no-audit --no-fund --loglevel=error)
    fi
    local stamp_file="$REPO_ROOT/node_modules/.package-lock.sha256" want have=""
    want="$(_sha256_of_files "$lock")"
    [[ -f "$stamp_file" ]] && have="$(cat "$stamp_file")"
    if [[ "$want" != "$have" ]]; then
        info "installing npm packages (npm ci)"
        (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
        printf '%s\n' "$want" >"$stamp_file"
    else
        info "npm packages up to date"
    fi
}

# --------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------

# export_site_url PORT: the address links in e-mail point to (MELDPUNT_BASE_URL, docs/configuration.md):
# the local server on PORT, unless MELDPUNT_BASE_URL is set already.
export_site_url() {
    export MELDPUNT_BASE_URL="${MELDPUNT_BASE_URL:-http://127.0.0.1:$1}"
}

# free_port: prints a currently free TCP port on 127.0.0.1.
free_port() {
    "$HOST_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# port_is_free PORT: true when nothing listens on / is bound to 127.0.0.1:PORT.
# (SO_REUSEADDR: connections in TIME_WAIT from an earlier run do not count, as
# PostgreSQL, Redis and the sink bind with SO_REUSEADDR too.)
port_is_free() {
    "$HOST_PYTHON" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
' "$1"
}

# port_is_listening PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_is_listening() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port PREFERRED: prints PREFERRED if free, else a random free port.
pick_port() {
    if [[ -n "${1:-}" ]] && port_is_free "$1"; then
        printf '%s\n' "$1"
    else
        free_port
    fi
}

# --------------------------------------------------------------------------
# Background processes by pid file
# --------------------------------------------------------------------------

_pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

_read_pid() { # _read_pid PIDFILE -> pid or nothing
    [[ -f "$1" ]] || return 0
    local pid
    pid="$(head -n1 "$1" 2>/dev/null | tr -dc '0-9')"
    printf '%s' "$pid"
}

_pgid_of() { # _pgid_of PID -> process group id (from /proc; no procps needed)
    sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3
}

# _kill_wait PID [TIMEOUT_S]: SIGTERM (process group if PID leads one), wait, then SIGKILL.
_kill_wait() {
    local pid="$1" timeout="${2:-15}" target="$1" i
    _pid_alive "$pid" || return 0
    if [[ "$(_pgid_of "$pid")" == "$pid" ]]; then
        target="-$pid"
    fi
    kill -TERM -- "$target" 2>/dev/null || true
    for ((i = 0; i < timeout * 10; i++)); do
        _pid_alive "$pid" || return 0
        sleep 0.1
    done
    warn "process $pid did not stop after ${timeout}s; killing it"
    kill -KILL -- "$target" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        _pid_alive "$pid" || return 0
        sleep 0.1
    done
}

# start_bg PIDFILE LOGFILE COMMAND [ARGS...]: runs COMMAND in the background in
# its own session/process group (so stop_bg also stops its children, e.g.
# Celery's pool processes) with output appended to LOGFILE.
start_bg() {
    local pidfile="$1" logfile="$2"
    shift 2
    mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
    stop_bg "$pidfile"
    setsid "$@" </dev/null >>"$logfile" 2>&1 &
    printf '%s\n' "$!" >"$pidfile"
}

# stop_bg PIDFILE: stops the process recorded in PIDFILE (if alive) and removes the file.
stop_bg() {
    local pidfile="$1" pid
    pid="$(_read_pid "$pidfile")"
    [[ -n "$pid" ]] && _kill_wait "$pid" 20
    rm -f "$pidfile"
}

# --------------------------------------------------------------------------
# PostgreSQL 15
# --------------------------------------------------------------------------

# postgres_can_use_dir DIR: true when the postgres OS user can reach (traverse
# all parents of) DIR's parent. Used to decide where the dev cluster lives.
postgres_can_use_dir() {
    local parent
    parent="$(dirname "$1")"
    is_root || return 0
    runuser -u postgres -- test -x "$parent" 2>/dev/null
}

# start_postgres DATADIR PORT [DBNAME] [MODE]
#   DBNAME defaults to "meldpunt"; MODE is "durable" (default, dev) or
#   "throwaway" (test: fsync/synchronous_commit/full_page_writes off).
# Creates the cluster (trust auth, UTF8, C.UTF-8) if DATADIR has none, starts it
# listening on 127.0.0.1:PORT only, waits until it accepts connections, creates
# DBNAME if missing. A server still running from an earlier, killed run is
# stopped first. Connect with: postgres://postgres@127.0.0.1:PORT/DBNAME
start_postgres() {
    local datadir="$1" port="$2" dbname="${3:-meldpunt}" mode="${4:-durable}"
    [[ -n "$datadir" && -n "$port" ]] || die "usage: start_postgres DATADIR PORT [DBNAME] [durable|throwaway]"
    [[ -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL 15 not found in $PG_BIN"
    mkdir -p "$datadir"
    datadir="$(cd "$datadir" && pwd -P)"

    if [[ ! -f "$datadir/PG_VERSION" ]]; then
        info "initialising PostgreSQL cluster in $datadir"
        chmod 700 "$datadir"
        if is_root; then
            chown -R postgres:postgres "$datadir"
        fi
        as_pg_user "$PG_BIN/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$datadir.initdb.log" 2>&1 || {
            cat "$datadir.initdb.log" >&2
            die "initdb failed for $datadir"
        }
        rm -f "$datadir.initdb.log"
    elif is_root; then
        chown -R postgres:postgres "$datadir"
    fi

    if as_pg_user "$PG_BIN/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
        warn "PostgreSQL in $datadir is still running (earlier run killed?); restarting it"
        stop_postgres "$datadir"
    fi
    port_is_free "$port" || die "port $port (PostgreSQL) is already in use"

    # Unix sockets in the data directory; Linux limits socket paths to 107 bytes,
    # so fall back to TCP only for very long paths.
    local socketdir="$datadir"
    if ((${#datadir} > 80)); then
        socketdir="''"
    fi
    local opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$socketdir -c max_connections=200"
    # Bulk intake writes many index pages: memory for them, and no checkpoint every few seconds
    # (the same settings as docker-compose.yml; docs/intake.md).
    opts+=" -c shared_buffers=512MB -c max_wal_size=2GB"
    if [[ "$mode" == "throwaway" ]]; then
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    if ! as_pg_user "$PG_BIN/pg_ctl" -D "$datadir" -o "$opts" -l "$datadir/server.log" -w -t 60 \
        start >/dev/null; then
        tail -n 30 "$datadir/server.log" >&2 || true
        die "PostgreSQL failed to start (log: $datadir/server.log)"
    fi
    local i
    for ((i = 0; i < 300; i++)); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
        sleep 0.1
    done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres ||
        die "PostgreSQL on 127.0.0.1:$port did not become ready"
    local exists
    exists="$("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" || die "cannot query PostgreSQL on port $port"
    if [[ "$exists" != "1" ]]; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$dbname"
    fi
    info "PostgreSQL ready on 127.0.0.1:$port (database $dbname, data $datadir)"
}

# stop_postgres DATADIR: fast shutdown if running (immediate as a fallback).
stop_postgres() {
    local datadir="$1"
    [[ -f "$datadir/PG_VERSION" ]] || return 0
    as_pg_user "$PG_BIN/pg_ctl" -D "$datadir" status >/dev/null 2>&1 || return 0
    as_pg_user "$PG_BIN/pg_ctl" -D "$datadir" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        as_pg_user "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
        warn "could not stop PostgreSQL in $datadir"
}

# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------

# start_redis DIR PORT [MODE]
#   MODE "throwaway" (default): no persistence. "durable": RDB snapshots in DIR.
# Daemonised, pid in DIR/redis.pid, log in DIR/redis.log, 127.0.0.1 only.
start_redis() {
    local dir="$1" port="$2" mode="${3:-throwaway}"
    [[ -n "$dir" && -n "$port" ]] || die "usage: start_redis DIR PORT [throwaway|durable]"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd -P)"
    stop_redis "$dir"
    port_is_free "$port" || die "port $port (Redis) is already in use"
    local persistence=(--save "" --appendonly no)
    if [[ "$mode" == "durable" ]]; then
        persistence=(--save "60 1" --appendonly no --dbfilename dump.rdb)
    fi
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${persistence[@]}" ||
        die "redis-server failed to start (log: $dir/redis.log)"
    local i
    for ((i = 0; i < 100; i++)); do
        [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]] && break
        sleep 0.1
    done
    [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]] || {
        tail -n 20 "$dir/redis.log" >&2 || true
        die "Redis on 127.0.0.1:$port did not become ready"
    }
    info "Redis ready on 127.0.0.1:$port (dir $dir)"
}

# stop_redis DIR: SIGTERM (Redis saves first when persistence is on), wait.
stop_redis() {
    local dir="$1" pid
    pid="$(_read_pid "$dir/redis.pid")"
    [[ -n "$pid" ]] && _kill_wait "$pid" 30
    rm -f "$dir/redis.pid"
}

# --------------------------------------------------------------------------
# SMTP sink (bin/smtp-sink.py): every message becomes MAILDIR/*.eml
# --------------------------------------------------------------------------

# start_smtp_sink MAILDIR PORT: background sink on 127.0.0.1:PORT. Pid file and
# log live next to MAILDIR (MAILDIR.pid / MAILDIR.log) so MAILDIR only ever
# contains .eml files. Needs the venv (aiosmtpd) — call ensure_venv first.
start_smtp_sink() {
    local maildir="$1" port="$2"
    [[ -n "$maildir" && -n "$port" ]] || die "usage: start_smtp_sink MAILDIR PORT"
    mkdir -p "$maildir"
    maildir="$(cd "$maildir" && pwd -P)"
    local pidfile="$maildir.pid" logfile="$maildir.log"
    stop_smtp_sink "$maildir"
    port_is_free "$port" || die "port $port (SMTP sink) is already in use"
    local python="$VENV_DIR/bin/python"
    [[ -x "$python" ]] || python="$HOST_PYTHON"
    start_bg "$pidfile" "$logfile" "$python" "$REPO_ROOT/bin/smtp-sink.py" \
        --host 127.0.0.1 --port "$port" --maildir "$maildir"
    local i pid
    pid="$(_read_pid "$pidfile")"
    for ((i = 0; i < 100; i++)); do
        port_is_listening "$port" && break
        _pid_alive "$pid" || break
        sleep 0.1
    done
    port_is_listening "$port" || {
        tail -n 20 "$logfile" >&2 || true
        die "SMTP sink on 127.0.0.1:$port did not start (log: $logfile)"
    }
    info "SMTP sink ready on 127.0.0.1:$port (mail in $maildir)"
}

# stop_smtp_sink MAILDIR
stop_smtp_sink() {
    local maildir="${1%/}"
    stop_bg "$maildir.pid"
}
