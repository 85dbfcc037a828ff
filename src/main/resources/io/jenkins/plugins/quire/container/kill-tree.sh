# Kills what an exec left in the run container, all at once. Run as: sh -c <this> quire-kill MODE TOKEN [OTHER...]
# MODE kill: the exec may still be running (timeout, abort); MODE end: its main process has exited.
# TOKEN: the exec's token; OTHER: tokens of the container's other running execs, whose processes are left alone.
#
# Plain POSIX sh with builtins only (read, case, kill), reading /proc: an image may have nothing else.
# Kept: the container's own session 1 (init, keep-alive), this script's session, zombies, and the processes of
# other running execs: their roots (parent 0: started by the engine) found by token, and everything sharing a
# root's session or descended from one. Everything else is stopped first, round after round until a round
# finds nothing new (a stopped process can neither fork nor reap a child and run its next command), then
# killed, so no shell goes on after its child died; it catches what left with setsid, a double fork or
# without the token variable. The environment of another user's process cannot be read (not even by root,
# without CAP_SYS_PTRACE): such a root counts as this exec's in mode kill when no other exec runs, and as
# another exec's otherwise. So does a root whose environment holds no token (`exec env -i make` replaced it).
me=$$ mode=$1 tok=$2
shift 2
others="$*" V=@TOKEN_VARIABLE@ prot=" " psid=" " st=" " n=0
# e=0 unreadable, 1 this exec's token, 2 another running exec's token, 3 neither
envclass() {
  e=0
  { :; } 2>/dev/null < "/proc/$1/environ" || return 0
  e=3
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in *"$V=$tok"*) e=1; return 0;; esac
    for o in $others; do case $l in *"$V=$o"*) e=2; return 0;; esac; done
  done 2>/dev/null < "/proc/$1/environ"
}
# c=skip (gone, zombie, the container's or ours), prot (another exec's), kill
cls() {
  p=$1 c=skip
  { IFS= read -r s; } 2>/dev/null < "/proc/$p/stat" || return 0
  set -- ${s##*\) }
  pp=$2 sd=$4
  case $1 in Z|X) return 0;; esac
  if [ "$p" = 1 ] || [ "$sd" = 1 ] || [ "$sd" = "$me" ]; then return 0; fi
  if [ "$pp" = 0 ]; then
    envclass "$p"
    case $mode$e in
      *1) c=kill;;
      *2|end0|end3) c=prot;;
      *) if [ -n "$others" ]; then c=prot; else c=kill; fi;;
    esac
    return 0
  fi
  case $prot in *" $pp "*) c=prot; return 0;; esac
  case $psid in *" $sd "*) c=prot; return 0;; esac
  c=kill
  if [ -n "$others" ]; then envclass "$p"; [ "$e" = 2 ] && c=prot; fi
  return 0
}
ch=1 r=0
while [ $ch = 1 ] && [ $r -lt 50 ]; do
  ch=0 r=$((r+1))
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    case $prot in *" $p "*) continue;; esac
    cls "$p"
    if [ "$c" = prot ]; then prot="$prot$p " psid="$psid$sd " ch=1; fi
  done
done
ch=1 r=0
while [ $ch = 1 ] && [ $r -lt 200 ]; do
  ch=0 r=$((r+1))
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    case $prot$st in *" $p "*) continue;; esac
    cls "$p"
    case $c in
      prot) prot="$prot$p " psid="$psid$sd ";;
      kill) if kill -STOP "$p" 2>/dev/null; then st="$st$p " ch=1; fi;;
    esac
  done
done
for p in $st; do kill -KILL "$p" 2>/dev/null && n=$((n+1)); done
r=0
while [ $r -lt 1000 ]; do
  r=$((r+1)) a=0
  for p in $st; do
    { IFS= read -r s; } 2>/dev/null < "/proc/$p/stat" || continue
    set -- ${s##*\) }
    case $1 in Z|X) ;; *) a=1;; esac
  done
  [ $a = 0 ] && break
done
echo killed=$n
