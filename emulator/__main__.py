"""python -m emulator: a fleet of emulated Grandstream phones (see docs/emulator.md)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .app import Fleet, FleetConfig
from .firmware import parse_image
from .model import DEFAULT_MODELS, FIRMWARE_MODES, GUIDE_DIALECT, MODELS

EXIT_USAGE = 2
EXIT_PORT_UNAVAILABLE = 3
# Each connection has its own thread; they need far less than the default 8 MiB of stack.
THREAD_STACK_BYTES = 512 * 1024


def parse_arguments(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--count", type=int, default=1, help="number of phones")
    parser.add_argument("--base-port", type=int, default=8080, help="phone i listens on BASE_PORT + i")
    parser.add_argument("--protocol", choices=("http", "https", "both"), default="http")
    parser.add_argument("--bind", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--control-port", type=int, help="control API port (default BASE_PORT - 1)")
    parser.add_argument("--state-dir", type=Path, help="one JSON file per phone (default: a temp dir)")
    parser.add_argument("--cert-dir", type=Path, help="where cert.pem / key.pem go (default: state dir)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--session-idle", type=float, default=600.0, help="session idle expiry, seconds")
    parser.add_argument("--reboot-seconds", type=float, default=2.0, help="reboot downtime, seconds")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS), help="models assigned round-robin")
    parser.add_argument("--log-file", type=Path, help="request log (default: stderr)")
    parser.add_argument("--firmware-image", action="append", default=[], metavar="MODEL=VERSION@PATH",
                        help="an image on the fake firmware server (repeatable): a PROV of a MODEL phone whose "
                             "config server path (P237) is PATH installs VERSION")
    parser.add_argument("--install-seconds", type=float, default=0.0,
                        help="how much longer than --reboot-seconds a PROV that installs an image takes")
    parser.add_argument("--firmware", choices=FIRMWARE_MODES, default=GUIDE_DIALECT,
                        help="the API dialect the phones speak: guide (2021 firmware), current (WP826 1.0.3.35 "
                             "style), mixed (even phone indices guide, odd current)")
    parser.add_argument("--ready-file", type=Path, help="JSON written once every port listens")
    return parser.parse_args(argv)


def build_config(args: argparse.Namespace) -> FleetConfig:
    """Validated configuration; raises ValueError with a readable message."""
    try:
        if not ipaddress.ip_address(args.bind).is_loopback:
            raise ValueError
    except ValueError:
        raise ValueError(f"--bind must be a loopback address, not {args.bind!r}") from None
    if args.count < 1:
        raise ValueError("--count must be at least 1")
    models = tuple(name.strip() for name in args.models.split(",") if name.strip())
    unknown = [name for name in models if name not in MODELS]
    if not models or unknown:
        raise ValueError(f"--models: unknown model(s) {unknown}; known: {', '.join(MODELS)}")
    control_port = args.control_port if args.control_port is not None else args.base_port - 1
    ports_needed = args.count * (2 if args.protocol == "both" else 1)
    if not (1 <= args.base_port and args.base_port + ports_needed - 1 <= 65535 and 1 <= control_port <= 65535):
        raise ValueError("ports out of range")
    if args.session_idle <= 0:
        raise ValueError("--session-idle must be positive")
    if args.reboot_seconds < 0:
        raise ValueError("--reboot-seconds must not be negative")
    if not 0 <= args.install_seconds <= 3600:
        raise ValueError("--install-seconds must be between 0 and 3600")
    images = tuple(parse_image(text) for text in args.firmware_image)
    state_dir = args.state_dir or Path(tempfile.mkdtemp(prefix="gs-emulator-"))
    return FleetConfig(
        count=args.count, base_port=args.base_port, protocol=args.protocol, bind=args.bind,
        control_port=control_port, state_dir=state_dir, cert_dir=args.cert_dir or state_dir,
        seed=args.seed, session_idle=args.session_idle, reboot_seconds=args.reboot_seconds,
        models=models, ready_file=args.ready_file, firmware_images=images, install_seconds=args.install_seconds,
        firmware=args.firmware,
    )


def configure_logging(log_file: Path | None) -> None:
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    root = logging.getLogger("emulator")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False


def main(argv=None) -> int:
    args = parse_arguments(argv)
    try:
        config = build_config(args)
    except ValueError as problem:
        print(f"emulator: {problem}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(args.log_file)
    threading.stack_size(THREAD_STACK_BYTES)
    fleet = Fleet(config)
    try:
        fleet.start()
    except OSError as problem:
        print(f"emulator: cannot listen: {problem}", file=sys.stderr)
        fleet.stop()
        return EXIT_PORT_UNAVAILABLE
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: fleet.request_shutdown())
    fleet.wait()
    fleet.stop()
    logging.getLogger("emulator").info("emulator: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
