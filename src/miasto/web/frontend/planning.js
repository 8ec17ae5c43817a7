// Planning pages (planning): see scripts/build_frontend.sh. Progressive enhancement only.
