import sys

try:
    from reportlint.cli import main
except KeyboardInterrupt:  # Ctrl-C while still starting up: the same one line as later
    sys.stderr.write("reportlint: interrupted\n")
    sys.exit(130)

main()
