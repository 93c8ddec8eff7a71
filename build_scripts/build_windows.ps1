# Build the Windows bundle and its installer, on a Windows machine (PyInstaller cannot cross-build).
#   powershell -ExecutionPolicy Bypass -File build_scripts\build_windows.ps1
# Needs: Python 3.11+ (python.org, "py" launcher) and Inno Setup 6 (https://jrsoftware.org/isinfo.php; ISCC.exe
# on PATH or in its default folder). Result: dist\lamha-desktop\ (the bundle) and
# dist\installer\lamha-desktop-<version>-setup.exe (per-user install, no administrator rights).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3 -m venv .venv }
$py = ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller build_scripts\lamha_desktop.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Smoke test: start offscreen on a temporary data folder, open the database, show the window, exit 0.
$data = Join-Path $env:TEMP ("lamha-smoke-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
$p = Start-Process -FilePath "dist\lamha-desktop\lamha-desktop.exe" -ArgumentList "--smoke-test", "--data-dir", "`"$data`"" `
    -Wait -PassThru -NoNewWindow
Remove-Item Env:QT_QPA_PLATFORM
Remove-Item -Recurse -Force $data -ErrorAction SilentlyContinue
if ($p.ExitCode -ne 0) { throw "smoke test failed (exit code $($p.ExitCode))" }

$version = (& $py build_scripts\version_info.py).Trim()
$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" build_scripts\installer.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "done: dist\installer\lamha-desktop-$version-setup.exe"
