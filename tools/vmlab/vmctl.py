#!/usr/bin/python3
"""vmctl: runs commands inside a lab VM over its virtio-serial control port.

  vmctl.py --vm NAME exec [--node NODE] [--timeout S] COMMAND...   run COMMAND (sh -c) in the VM
  vmctl.py --vm NAME wait-ready [--timeout S]                      wait for the VM's nodes
  vmctl.py --vm NAME put LOCAL_FILE VM_PATH                        copy a file into the VM
  vmctl.py --vm NAME counters NODE                                 the node's relay counters

exec prints the command's stdout and stderr and exits with its status (124: timed out in the VM,
125: the VM did not answer in time, 126: no VM). --node runs the command in that node's network
namespace (vmlab-node exec). The socket is $VMLAB_RUN/NAME/ctl.sock (VMLAB_RUN: /run/vmlab).
"""
import argparse
import base64
import os
import random
import shlex
import socket
import sys
import time

RUN_DIR = os.environ.get("VMLAB_RUN", "/run/vmlab")
EXIT_NO_ANSWER = 125
EXIT_NO_VM = 126


class NoAnswer(Exception):
    pass


def ctl_path(vm):
    return os.path.join(RUN_DIR, vm, "ctl.sock")


def run(vm, command, timeout=60.0, vm_timeout=None):
    """Runs COMMAND in the VM; returns (status, stdout bytes, stderr bytes).

    Raises NoAnswer when no reply came within TIMEOUT seconds, FileNotFoundError / ConnectionError
    when there is no VM socket to talk to."""
    body = command.encode()
    req_id = random.getrandbits(48)
    vm_timeout = vm_timeout or max(1, int(timeout))
    deadline = time.monotonic() + timeout
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(max(0.1, deadline - time.monotonic()))
        s.connect(ctl_path(vm))
        s.sendall(b"X %d %d %d\n" % (req_id, vm_timeout, len(body)) + body)
        buf = b""
        while True:
            # a reply header: "R <id> <status> <outlen> <errlen>\n"
            while b"\n" not in buf:
                buf += recv_some(s, deadline)
            line, buf = buf.split(b"\n", 1)
            parts = line.split()
            if len(parts) != 5 or parts[0] != b"R":
                continue  # not a header (the tail of an old reply): resynchronise
            rid, status, outlen, errlen = (int(p) for p in parts[1:])
            while len(buf) < outlen + errlen:
                buf += recv_some(s, deadline)
            out, err = buf[:outlen], buf[outlen:outlen + errlen]
            buf = buf[outlen + errlen:]
            if rid == req_id:
                return status, out, err
            # a reply to an earlier request whose client gave up: skip it
    finally:
        s.close()


def recv_some(s, deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise NoAnswer()
    s.settimeout(left)
    try:
        data = s.recv(65536)
    except socket.timeout:
        raise NoAnswer() from None
    if not data:
        raise ConnectionError("the VM closed the control connection")
    return data


def wait_ready(vm, timeout):
    """Polls the VM until /run/vmlab/ready exists; returns its first line."""
    deadline = time.monotonic() + timeout
    pidfile = os.path.join(RUN_DIR, vm, "qemu.pid")
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise NoAnswer()
        if os.path.exists(pidfile):
            try:
                os.kill(int(open(pidfile).read().strip()), 0)
            except (ValueError, ProcessLookupError):
                raise ConnectionError("qemu is not running") from None
        try:
            # the agent polls for a host every 50 ms; until it runs, requests wait in the socket
            status, out, _ = run(vm, "cat /run/vmlab/ready 2>/dev/null", timeout=min(left, 5.0))
            if status == 0 and out.strip():
                return out.decode().strip()
            time.sleep(0.2)  # the agent answers, the nodes are still being set up
        except NoAnswer:
            pass
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(0.2)  # qemu has not created its socket yet


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vm", required=True)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("exec")
    e.add_argument("--node")
    e.add_argument("--timeout", type=float, default=60.0)
    e.add_argument("command", nargs="+")
    w = sub.add_parser("wait-ready")
    w.add_argument("--timeout", type=float, default=300.0)
    p = sub.add_parser("put")
    p.add_argument("local")
    p.add_argument("remote")
    c = sub.add_parser("counters")
    c.add_argument("node")
    args = ap.parse_args()

    try:
        if args.cmd == "wait-ready":
            line = wait_ready(args.vm, args.timeout)
            print(line)
            return 0 if line.startswith("ok") else 1
        if args.cmd == "exec":
            command = " ".join(args.command)
            if args.node:
                command = "vmlab-node exec %s %s" % (shlex.quote(args.node), shlex.quote(command))
            status, out, err = run(args.vm, command, timeout=args.timeout + 5, vm_timeout=int(args.timeout))
        elif args.cmd == "put":
            data = base64.b64encode(open(args.local, "rb").read()).decode()
            remote = shlex.quote(args.remote)
            status, out, err = run(args.vm, "mkdir -p $(dirname %s) && echo %s | base64 -d > %s"
                                   % (remote, data, remote))
        else:
            status, out, err = run(args.vm, "vmlab-node counters %s" % shlex.quote(args.node))
    except NoAnswer:
        print("vmctl: no answer from VM %s in time" % args.vm, file=sys.stderr)
        return EXIT_NO_ANSWER
    except (FileNotFoundError, ConnectionError) as exc:
        print("vmctl: VM %s: %s" % (args.vm, exc), file=sys.stderr)
        return EXIT_NO_VM
    sys.stdout.buffer.write(out)
    sys.stderr.buffer.write(err)
    return status


if __name__ == "__main__":
    sys.exit(main())
