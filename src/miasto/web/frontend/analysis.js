// Planning pages (analysis): see scripts/build_frontend.sh. Progressive enhancement only.
