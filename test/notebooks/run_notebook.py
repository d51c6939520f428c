"""Execute a Jupyter notebook headless and save the executed copy (used by notebooks.test.ts).

    JUPYTER_PATH=<repo>/jupyter /usr/bin/python3 test/notebooks/run_notebook.py IN.ipynb OUT.ipynb

Runs every cell with nbclient in the notebook's own folder (so `../src/...` imports and
notebooks/deno.json apply) and writes the executed notebook to OUT. Exits 1 with the error on a
failing cell. Needs Debian's python3-nbclient, jupyter-client and jupyter-core (no ipykernel).

Deno's kernel sometimes reports "idle" before a cell's last outputs reach the IOPub channel, and a
plain nbclient run then drops them. After idle this runner keeps reading the cell's messages until
none has arrived for GRACE_S seconds.
"""
import asyncio
import os
import queue
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

GRACE_S = float(os.environ.get("NOTEBOOK_IDLE_GRACE_S", "0.3"))


class LateOutputClient(NotebookClient):
    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        assert self.kc is not None
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=GRACE_S))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id or msg["msg_type"] == "status":
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} IN.ipynb OUT.ipynb", file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    nb = nbformat.read(src, as_version=4)
    client = LateOutputClient(
        nb,
        timeout=int(os.environ.get("NOTEBOOK_CELL_TIMEOUT_S", "120")),
        startup_timeout=60,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError as err:
        print(str(err), file=sys.stderr)
        status = 1
    nbformat.write(nb, dst)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
