#!/usr/bin/env bash
# Build the Linux one-folder app into dist/ahoy-desktop, put the desktop integration files
# beside it, then start it once offscreen (--smoke-test) to prove it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
bundle=dist/ahoy-desktop
app_id=app.ahoy.Desktop

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "Installing PyInstaller into the virtual environment"
    "$python" -m pip install -q -e ".[packaging]"
fi

started=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/ahoy-desktop.spec
built=$(date +%s)

# Python's own libraries may carry debug information (30 MB when Python was built from
# source); the libraries from wheels are already stripped and are left alone.
if command -v strip >/dev/null; then
    strip --strip-debug "$bundle"/_internal/libpython3*.so* "$bundle"/_internal/python3*/lib-dynload/*.so
fi

# The freedesktop layout, ready to copy under ~/.local or /usr (see packaging/README.md).
install -Dm644 "packaging/linux/$app_id.desktop" "$bundle/share/applications/$app_id.desktop"
install -Dm644 "packaging/linux/$app_id.metainfo.xml" "$bundle/share/metainfo/$app_id.metainfo.xml"
mkdir -p "$bundle/share/icons"
cp -r build/icons/hicolor "$bundle/share/icons/"

echo "Starting the bundle offscreen once"
QT_QPA_PLATFORM=offscreen timeout 300 "$bundle/ahoy-desktop" --smoke-test
smoked=$(date +%s)

echo "Bundle: $bundle ($(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files)"
echo "Build: $((built - started)) s; smoke test: $((smoked - built)) s"
