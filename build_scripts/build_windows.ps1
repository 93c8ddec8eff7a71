# Build the Windows bundle and its installer, on a Windows machine (PyInstaller cannot cross-build).
#   powershell -ExecutionPolicy Bypass -File build_scripts\build_windows.ps1 [-Python 3.11] [-SmokeTimeout 120]
# Needs: Python from python.org with the "py" launcher (the version given by -Python, 3.11 by default: the one the
# release is tested with), and Inno Setup 6.3 or newer (https://jrsoftware.org/isinfo.php; ISCC.exe on PATH, or in
# Program Files, or a per-user install in %LOCALAPPDATA%\Programs). Result: dist\lamha-desktop\ (the bundle:
# lamha-desktop.exe, the window; lamha-desktop-cli.exe, the headless commands) and
# dist\installer\lamha-desktop-<version>-setup.exe (per user by default, no administrator rights).
#
# Smoke tests of the bundle, each with a time limit and a fresh data folder: --smoke-test must print "smoke test ok"
# and nothing unexpected on stderr; the demo's summary PDF and a backup must be written by lamha-desktop-cli.exe.
#
# Signing (docs/windows.md): set LAMHA_SIGN_PFX (a .pfx file) and LAMHA_SIGN_PASSWORD, or LAMHA_SIGN_THUMBPRINT (a
# certificate in the Windows certificate store, e.g. on a token); optional LAMHA_SIGN_TIMESTAMP_URL and
# LAMHA_SIGNTOOL (signtool.exe from the Windows SDK; found on PATH or in the Windows Kits folder otherwise). Both
# executables, the installer and its uninstaller are then signed; without a certificate the build says so and
# goes on unsigned.
[CmdletBinding()]
param(
    [string]$Python = "3.11",
    [int]$SmokeTimeout = 120
)
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Invoke-Native {
    # Run a program and stop the build when it fails ($ErrorActionPreference does not cover native programs).
    param([Parameter(Mandatory)][string]$Program, [string[]]$Arguments = @())
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed (exit code $LASTEXITCODE)" }
}

function Invoke-WithTimeout {
    # Run a program with a time limit; return exit code, stdout and stderr (the files are kept for a failure).
    param([string]$Program, [string[]]$Arguments, [int]$Seconds, [string]$Name)
    $out = Join-Path $env:TEMP "lamha-$Name-$([guid]::NewGuid()).out"
    $err = "$out.err"
    $quoted = $Arguments | ForEach-Object { if ($_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }
    $p = Start-Process -FilePath $Program -ArgumentList $quoted -NoNewWindow -PassThru `
        -RedirectStandardOutput $out -RedirectStandardError $err
    $null = $p.Handle  # without this, Windows PowerShell 5.1 may report no ExitCode after WaitForExit
    if (-not $p.WaitForExit($Seconds * 1000)) {
        Stop-Process -Id $p.Id -Force -ErrorAction SilentlyContinue
        throw "$Name did not finish within $Seconds s"
    }
    $p.WaitForExit()
    return [pscustomobject]@{
        ExitCode = $p.ExitCode
        Out = (Get-Content -Raw -Encoding UTF8 $out -ErrorAction SilentlyContinue) + ""
        Err = (Get-Content -Raw -Encoding UTF8 $err -ErrorAction SilentlyContinue) + ""
    }
}

# stderr lines a good start may write: our own INFO log lines. Anything else (a missing Qt plugin or DLL, a font
# warning, a Python warning) fails the build.
function Assert-CleanStderr([string]$Text, [string]$What) {
    $bad = $Text -split "`r?`n" | Where-Object { $_ -and ($_ -notmatch '^\d{4}-\d{2}-\d{2} [\d:,]+ INFO lamha_desktop\.') }
    if ($bad) { throw "unexpected stderr from ${What}:`n$($bad -join "`n")" }
}

# ---------------------------------------------------------------- Python and the bundle

$py = ".venv\Scripts\python.exe"
if (Test-Path $py) {
    $have = (& $py -c "import sys; print('%d.%d' % sys.version_info[:2])").Trim()
    if ($have -ne $Python) {
        Write-Host "The .venv has Python $have, not $Python: making a new one."
        Remove-Item -Recurse -Force .venv
    }
}
if (-not (Test-Path $py)) { Invoke-Native py @("-$Python", "-m", "venv", ".venv") }
Invoke-Native $py @("-m", "pip", "install", "-q", "--upgrade", "pip")
Invoke-Native $py @("-m", "pip", "install", "-q", "-e", ".[build]")

Invoke-Native $py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "--distpath", "dist",
    "--workpath", "build\pyinstaller", "build_scripts\lamha_desktop.spec")
$bundle = "dist\lamha-desktop"
$gui = Join-Path $bundle "lamha-desktop.exe"
$cli = Join-Path $bundle "lamha-desktop-cli.exe"
foreach ($exe in @($gui, $cli)) { if (-not (Test-Path $exe)) { throw "PyInstaller did not make $exe" } }

# ---------------------------------------------------------------- smoke tests

$work = Join-Path $env:TEMP ("lamha-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
try {
    $r = Invoke-WithTimeout $cli @("--smoke-test", "--data-dir", (Join-Path $work "data")) $SmokeTimeout "smoke-test"
    if ($r.ExitCode -ne 0) { throw "smoke test failed (exit code $($r.ExitCode)):`n$($r.Out)`n$($r.Err)" }
    if ($r.Out -notmatch "smoke test ok") { throw "smoke test: no 'smoke test ok' in its output:`n$($r.Out)" }
    Assert-CleanStderr $r.Err "--smoke-test"

    $demo = Join-Path $work "demo"
    $r = Invoke-WithTimeout $cli @("--demo", "--smoke-test", "--data-dir", $demo) $SmokeTimeout "demo"
    if ($r.ExitCode -ne 0) { throw "--demo --smoke-test failed (exit code $($r.ExitCode)):`n$($r.Err)" }
    Assert-CleanStderr $r.Err "--demo --smoke-test"

    $pdf = Join-Path $work "summary.pdf"
    $r = Invoke-WithTimeout $cli @("summary-pdf", "--data-dir", $demo, "--period", "2024-H1", "--out", $pdf) `
        $SmokeTimeout "summary-pdf"
    if ($r.ExitCode -ne 0) { throw "summary-pdf failed (exit code $($r.ExitCode)):`n$($r.Err)" }
    # Qt writes each font it embeds as an uncompressed /FontFile2 entry: none means a PDF without text.
    $bytes = [System.IO.File]::ReadAllBytes($pdf)
    $latin1 = [System.Text.Encoding]::GetEncoding(28591).GetString($bytes)
    if ($bytes.Length -lt 10000 -or -not $latin1.Contains("/FontFile2")) { throw "summary-pdf wrote a PDF without fonts" }

    $copy = Join-Path $work "backup.sqlite3"
    $r = Invoke-WithTimeout $cli @("backup", "--data-dir", $demo, "--out", $copy) $SmokeTimeout "backup"
    if ($r.ExitCode -ne 0 -or -not (Test-Path $copy)) { throw "backup failed (exit code $($r.ExitCode)):`n$($r.Err)" }
    if (-not (Select-String -Path (Join-Path $demo "logs\lamha.log") -Pattern "backup written" -Quiet)) {
        throw "no log file in the data folder"
    }
    Write-Host "smoke tests ok: window, demo, summary PDF with fonts, backup, log file"
} finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

# ---------------------------------------------------------------- signing (when a certificate is configured)

$signArgs = $null
if ($env:LAMHA_SIGN_PFX -or $env:LAMHA_SIGN_THUMBPRINT) {
    $signtool = $env:LAMHA_SIGNTOOL
    if (-not $signtool) { $signtool = (Get-Command signtool.exe -ErrorAction SilentlyContinue).Source }
    if (-not $signtool) {
        $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
            Sort-Object FullName -Descending | Select-Object -First 1 -ExpandProperty FullName
    }
    if (-not $signtool) { throw "a certificate is configured but signtool.exe was not found: set LAMHA_SIGNTOOL" }
    $timestamp = if ($env:LAMHA_SIGN_TIMESTAMP_URL) { $env:LAMHA_SIGN_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $signArgs = @("sign", "/fd", "sha256", "/tr", $timestamp, "/td", "sha256", "/d", "Quan ly ket nap dang vien hoc sinh")
    if ($env:LAMHA_SIGN_THUMBPRINT) { $signArgs += @("/sha1", $env:LAMHA_SIGN_THUMBPRINT) }
    else { $signArgs += @("/f", $env:LAMHA_SIGN_PFX, "/p", $env:LAMHA_SIGN_PASSWORD) }
    Invoke-Native $signtool ($signArgs + @($gui, $cli))
    Invoke-Native $signtool @("verify", "/pa", $gui, $cli)
    Write-Host "signed: lamha-desktop.exe, lamha-desktop-cli.exe"
} else {
    Write-Host "NOT SIGNED: no certificate configured (LAMHA_SIGN_PFX or LAMHA_SIGN_THUMBPRINT); SmartScreen and antivirus may warn about the program. See docs/windows.md."
}

# ---------------------------------------------------------------- the installer

$version = (& $py build_scripts\version_info.py).Trim()
if ($LASTEXITCODE -ne 0) { throw "version_info.py failed" }
$numeric = (& $py build_scripts\version_info.py --numeric).Trim()
if ($LASTEXITCODE -ne 0) { throw "version_info.py --numeric failed" }

$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
              "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") |
        Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $iscc) { throw "Inno Setup 6.3+ (ISCC.exe) not found: install it from https://jrsoftware.org/isinfo.php" }
$isccArgs = @("/Q", "/DAppVersion=$version", "/DAppVersionNumeric=$numeric")
if ($signArgs) {
    # Inno Setup signs Setup and the uninstaller with this command; $f is the file, $q a quote.
    $quotedSign = ($signArgs | ForEach-Object { if ($_ -match '\s') { '$q' + $_ + '$q' } else { $_ } }) -join " "
    $isccArgs += @("/DSign", "/Slamhasign=`$q$signtool`$q $quotedSign `$f")
}
Invoke-Native $iscc ($isccArgs + @("build_scripts\installer.iss"))
$setup = "dist\installer\lamha-desktop-$version-setup.exe"
if (-not (Test-Path $setup)) { throw "Inno Setup did not make $setup" }
Write-Host "done: $setup"
