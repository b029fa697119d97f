"""The file server under /files/ (the --files-dir directory, GET and HEAD only).
"""
import os
import urllib.parse


def serve_files(h, path):
    root = h.server.args.files_dir
    if not root or h.command not in ("GET", "HEAD"):
        return h._send(404, "not found\n", "text/plain")
    rel = urllib.parse.unquote(path[len("/files/"):])
    full = os.path.realpath(os.path.join(root, rel))
    if not full.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(full):
        return h._send(404, "not found\n", "text/plain")
    with open(full, "rb") as f:
        data = f.read()
    return h._send(200, data, "application/octet-stream")
