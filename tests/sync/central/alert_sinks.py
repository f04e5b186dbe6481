#!/usr/bin/env python3
"""Local SMTP sink + HTTP webhook receiver for the alert tests (127.0.0.1 only).

Usage: alert_sinks.py OUTDIR
Prints "smtp <port> http <port>" on stdout once both listen, then stores every
received e-mail as OUTDIR/mail-<n>.eml (envelope in OUTDIR/mail-<n>.env) and
every webhook body as OUTDIR/webhook-<n>.json. Runs until killed.
"""
import http.server
import os
import socketserver
import sys
import threading

OUT = sys.argv[1]
lock = threading.Lock()
counts = {"mail": 0, "webhook": 0}


def save(kind, ext, data, extra=None):
    with lock:
        counts[kind] += 1
        n = counts[kind]
    base = os.path.join(OUT, "%s-%d" % (kind, n))
    if extra is not None:
        with open(base + ".env", "w") as f:
            f.write(extra)
    tmp = base + ext + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, base + ext)


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for libcurl: EHLO/HELO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 sink ESMTP")
        sender, rcpts = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            up = cmd.upper()
            if up.startswith("EHLO"):
                self.wfile.write(b"250-sink\r\n250 SIZE 1000000\r\n")
                self.wfile.flush()
            elif up.startswith("HELO"):
                self.reply("250 sink")
            elif up.startswith("MAIL FROM:"):
                sender, rcpts = cmd[10:].strip(), []
                self.reply("250 OK")
            elif up.startswith("RCPT TO:"):
                rcpts.append(cmd[8:].strip())
                self.reply("250 OK")
            elif up == "DATA":
                self.reply("354 end with .")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    data += l
                save("mail", ".eml", data, "from %s\nto %s\n" % (sender, " ".join(rcpts)))
                self.reply("250 queued")
            elif up == "QUIT":
                self.reply("221 bye")
                return
            elif up in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


class Smtp(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        save("webhook", ".json", body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    smtp = Smtp(("127.0.0.1", 0), SmtpHandler)
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    print("smtp %d http %d" % (smtp.server_address[1], hook.server_address[1]), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
