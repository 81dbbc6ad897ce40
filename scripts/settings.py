"""Settings that come from outside the data: where the site is published."""
import os

# The published address, e.g. https://example.github.io/bang-theo-doi/ (the publish workflow sets it
# from GitHub Pages). Absolute links (QR codes, embeds, social previews, JSON-LD) need it; without
# it those use paths relative to the page.
SITE_URL = os.environ.get("SITE_URL", "").strip()
if SITE_URL and not SITE_URL.endswith("/"):
    SITE_URL += "/"

# The repository's address, e.g. https://github.com/owner/bang-theo-doi (the publish workflow sets it
# from github.server_url and github.repository). Links that open an issue form need it; without it
# they are left out, never pointing at a made-up address.
REPO_URL = os.environ.get("REPO_URL", "").strip().rstrip("/")
