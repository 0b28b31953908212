"""A counting SMTP sink for the benchmarks: accepts every message on 127.0.0.1 and keeps
only counts. Run it with the aiosmtpd venv's Python:

    python bench/smtp_sink.py PORT_FILE STATS_FILE

It listens on a free port and writes the number to PORT_FILE once it accepts connections.
On SIGTERM or SIGINT it writes STATS_FILE (JSON: messages, distinct Message-IDs, bytes,
connections, the sink's own CPU seconds) and exits.

With QUICKACK=1 in the environment the sink acknowledges every TCP segment at once
(TCP_QUICKACK) instead of delaying the ACK. A client that writes the end-of-data dot
separately without TCP_NODELAY then no longer waits ~40 ms for the ACK (Nagle): a
diagnostic, to see what a drain costs without that stall. Real servers delay ACKs.
"""

import asyncio
import json
import os
import re
import resource
import signal
import socket
import sys

from aiosmtpd.smtp import SMTP

MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


class QuickAckSMTP(SMTP):
    """Re-arms TCP_QUICKACK on every read (the kernel clears it on its own)."""

    def data_received(self, data):
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        super().data_received(data)


class Counter:
    def __init__(self):
        self.messages = 0
        self.bytes = 0
        self.connections = 0
        self.message_ids = set()
        self.without_message_id = 0

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        self.messages += 1
        self.bytes += len(content)
        headers = content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(headers)
        if found:
            self.message_ids.add(found.group(1))
        else:
            self.without_message_id += 1
        return "250 OK"


def main():
    port_file, stats_file = sys.argv[1], sys.argv[2]
    counter = Counter()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    smtp = QuickAckSMTP if os.environ.get("QUICKACK") == "1" else SMTP

    def session():
        counter.connections += 1
        # An explicit hostname: the default looks up the machine's FQDN per connection.
        return smtp(counter, hostname="localhost", ident="bench-sink")

    server = loop.run_until_complete(loop.create_server(session, "127.0.0.1", 0))
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, port_file)  # appears complete or not at all

    loop.run_until_complete(stop.wait())
    server.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = {
        "messages": counter.messages,
        "distinct_message_ids": len(counter.message_ids),
        "without_message_id": counter.without_message_id,
        "bytes": counter.bytes,
        "connections": counter.connections,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
    }
    tmp = stats_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, stats_file)


if __name__ == "__main__":
    main()
