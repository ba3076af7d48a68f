"""Loads the PrivateLink emulator layer into moto_server.

Python imports `sitecustomize` at start-up from sys.path; the dev-aws launcher (src/moto.ts) puts this folder on
PYTHONPATH and sets PRIVATELINK_EMULATOR=1 for the moto_server it starts, and for nothing else. The layer then
patches moto's EC2 backends before the server answers its first request.
"""

import os

if os.environ.get("PRIVATELINK_EMULATOR") == "1":
    import privatelink_emulator

    privatelink_emulator.install()
