"""A TCP/HTTP fault-injection proxy for the sync end-to-end tests.

Sits between feedback-sync and feedback-central on 127.0.0.1 and, per HTTP
request (the daemon keeps connections alive, so a connection carries many),
either passes it through or injects one fault:

  drop_request       forward only part of the request body upstream, then
                     close both sides (the central store sees a cut body)
  truncate_response  forward the request, pass back only part of the answer, close
  lose_answer        forward the whole request, swallow the whole answer, close
                     (the central store committed; the device never heard)
  delay              hold the request 0.3-1.5 s, then pass it through
  answer_503         answer 503 itself without forwarding
  answer_429         answer 429 with Retry-After: 1 without forwarding

and, on request (`hang_seconds`), holds one batch POST for a long time.

Faults are drawn with a seeded RNG, only for POST /api/v1/batches, with
probability `fault_rate`, and each kind stops once it reached `max_per_kind`,
so a run is bounded. Plain HTTP only (the test runs central with
--insecure-http-loopback); python3 standard library only.
"""

import random
import socket
import threading
import time

FAULTS = ("drop_request", "truncate_response", "lose_answer", "delay", "answer_503", "answer_429")


def _read_until(sock, buf, marker):
    while marker not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return buf


def _read_message(sock, buf):
    """Reads one HTTP message (headers + Content-Length body). Returns
    (head, body, rest) or None when the peer closed first."""
    buf = _read_until(sock, buf, b"\r\n\r\n")
    if buf is None:
        return None
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head + b"\r\n\r\n", rest[:length], rest[length:]


def _canned(status, reason, body, extra=b""):
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n"
            % (status, reason, len(body), extra)) + body


class FaultProxy:
    def __init__(self, upstream_port, seed=1, fault_rate=0.0, max_per_kind=1000):
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.fault_rate = fault_rate
        self.max_per_kind = max_per_kind
        self.counts = {f: 0 for f in FAULTS}
        self.passed = 0
        self.batch_posts = 0  # batch POSTs seen (faulted or not); see wait_batch_posts
        self.lock = threading.Condition()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.stopping = False
        # Called (in the connection's thread) after a batch POST was forwarded
        # in full and before its answer is read: the kill-central test SIGKILLs
        # the server from here, so the kill lands while the batch is ingested.
        self.on_forwarded = None
        # When > 0, the next batch POST is held this long before it is
        # forwarded (`hanging` is set when that starts): a request in flight
        # for the SIGTERM test.
        self.hang_seconds = 0
        self.hanging = threading.Event()
        self.thread = threading.Thread(target=self._accept_loop, daemon=True)
        self.thread.start()

    def wait_batch_posts(self, n, timeout):
        """Waits until at least n batch POSTs reached the proxy; False at the timeout."""
        with self.lock:
            return self.lock.wait_for(lambda: self.batch_posts >= n, timeout)

    def stop(self):
        self.stopping = True
        try:
            self.listener.close()
        except OSError:
            pass

    def _choose(self, head):
        if not head.startswith(b"POST /api/v1/batches"):
            return None
        with self.lock:
            if self.rng.random() >= self.fault_rate:
                return None
            self.batch_posts += 1
            self.lock.notify_all()
            open_kinds = [f for f in FAULTS if self.counts[f] < self.max_per_kind]
            if not open_kinds:
                return None
            kind = self.rng.choice(open_kinds)
            self.counts[kind] += 1
            return kind

    def _accept_loop(self):
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        upstream = None
        buf = b""
        try:
            client.settimeout(60)
            while True:
                msg = _read_message(client, buf)
                if msg is None:
                    return
                head, body, buf = msg
                fault = self._choose(head)
                hang = 0
                with self.lock:
                    if self.hang_seconds > 0 and head.startswith(b"POST /api/v1/batches"):
                        hang, self.hang_seconds = self.hang_seconds, 0
                if hang:
                    self.hanging.set()
                    time.sleep(hang)
                if fault == "answer_503":
                    client.sendall(_canned(503, b"Service Unavailable", b'{"error":"proxy: store unavailable"}'))
                    continue
                if fault == "answer_429":
                    client.sendall(_canned(429, b"Too Many Requests", b'{"error":"proxy: slow down"}',
                                           b"Retry-After: 1\r\n"))
                    continue
                if fault == "delay":
                    time.sleep(0.3 + self.rng.random() * 1.2)
                if upstream is None:
                    upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
                if fault == "drop_request":
                    upstream.sendall(head + body[: len(body) // 2])
                    return
                upstream.sendall(head + body)
                if self.on_forwarded is not None and head.startswith(b"POST /api/v1/batches"):
                    self.on_forwarded()
                answer = _read_message(upstream, b"")
                if answer is None:
                    return  # central died mid-request: the device sees a reset
                a_head, a_body, _ = answer
                if fault == "lose_answer":
                    return
                if fault == "truncate_response":
                    client.sendall(a_head + a_body[: len(a_body) // 2])
                    return
                with self.lock:
                    self.passed += 1
                client.sendall(a_head + a_body)
                if b"connection: close" in a_head.lower():
                    upstream.close()
                    upstream = None
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()
