#!/usr/bin/env python3
"""Kernel/user split of one thread's perf samples (perf record -e cpu-clock, no -g).

usage: perf_user_share.py PERF_DATA THREAD_NAME [THREAD_NAME ...]

For each thread name (comm), prints the samples in the kernel and in user space, and the user
samples that sit on the instruction right after a `syscall` instruction: with a software clock
(cpu-clock, hrtimer-driven) a tick that comes while the kernel returns to user space with
interrupts off is taken at that user instruction, so those samples are the syscall's exit cost
(large under a paravirtualised guest), not user code. "user, own code" leaves them out. Also
lists the thread's top user-space locations.
"""
import collections
import re
import subprocess
import sys

MMAP = re.compile(r'PERF_RECORD_MMAP2? .*?\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+|0) .*?\]: \S+ (\S+)$')
SAMPLE = re.compile(r'^\s*(\S.*?)\s+(\d+)\s+([0-9a-f]+)\s+\((.*)\)\s*$')


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, comms = sys.argv[1], set(sys.argv[2:])
    out = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,tid,ip,dso', '--show-mmap-events'],
                         capture_output=True, text=True, check=True).stdout
    maps = []  # (start, end, pgoff, path)
    counts = {c: collections.Counter() for c in comms}
    places = {c: collections.Counter() for c in comms}
    file_cache = {}

    def before(path, offset):
        if path not in file_cache:
            try:
                with open(path, 'rb') as f:
                    file_cache[path] = f.read()
            except OSError:
                file_cache[path] = b''
        blob = file_cache[path]
        return blob[offset - 2:offset] if 2 <= offset <= len(blob) else b''

    for line in out.splitlines():
        m = MMAP.search(line)
        if m:
            start, length, pgoff = int(m[1], 16), int(m[2], 16), int(m[3], 16)
            maps.append((start, start + length, pgoff, m[4]))
            continue
        s = SAMPLE.match(line)
        if not s or s[1] not in comms:
            continue
        comm, ip, dso = s[1], int(s[3], 16), s[4]
        c = counts[comm]
        c['all'] += 1
        if ip >= 0xffff800000000000 or dso.startswith('[kernel'):
            c['kernel'] += 1
            continue
        c['user'] += 1
        where = None
        for start, end, pgoff, path in reversed(maps):  # the latest mapping wins
            if start <= ip < end:
                where = (path, ip - start + pgoff)
                break
        if where and before(*where) == b'\x0f\x05':
            c['after_syscall'] += 1
            places[comm][(where[0].rsplit('/', 1)[-1], 'after syscall')] += 1
        else:
            places[comm][(dso.rsplit('/', 1)[-1], '')] += 1

    for comm in sys.argv[2:]:
        c = counts[comm]
        n = c['all']
        if n == 0:
            print(f'{comm}: no samples')
            continue
        own = c['user'] - c['after_syscall']
        print(f'{comm}: {n} samples; kernel {100 * c["kernel"] / n:.1f}%, user {100 * c["user"] / n:.1f}% '
              f'(after a syscall instruction {100 * c["after_syscall"] / n:.1f}%, user, own code {100 * own / n:.1f}%)')
        for (dso, note), k in places[comm].most_common(6):
            print(f'    {100 * k / n:5.1f}%  {dso} {note}')


if __name__ == '__main__':
    main()
