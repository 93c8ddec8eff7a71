; Inno Setup script: installs the PyInstaller bundle dist\lamha-desktop (built by build_scripts\build_windows.ps1).
; Saved as UTF-8 with a BOM, so that Inno Setup reads the Vietnamese names correctly. Needs Inno Setup 6.3 or newer
; (the x64compatible architecture); CI compiles it under Wine (build_scripts/check_windows_installer.sh).
;
;   ISCC /DAppVersion=0.2.0rc1 /DAppVersionNumeric=0.2.0.0 build_scripts\installer.iss
;   ISCC ... /DSign "/Slamhasign=signtool.exe sign /fd sha256 ... $f" build_scripts\installer.iss   (signed)
;
; Per user by default, without administrator rights ({autopf} = %LOCALAPPDATA%\Programs); "for all users" from the
; privileges dialog installs into Program Files. Windows 10 1809 (build 17763) or newer, 64-bit only: Qt 6 and
; Python 3.11+ run nowhere else, so older systems are refused before anything is copied.
; The user's data lives in %APPDATA%\LamHa\lamha_desktop (or --data-dir, or "data" beside a portable copy); neither
; an upgrade nor the uninstaller removes it. An upgrade deletes the old {app}\_internal first, so no file of an
; older Python or Qt is left to be loaded by the new program.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible); see docs/windows.md
#endif
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric "0.0.0.0"
#endif
#ifndef Compression
  ; CI's compile check passes /DCompression=none: the script is checked in seconds instead of minutes.
  #define Compression "lzma2/max"
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\lamha-desktop"
#endif
#define AppName "Quản lý kết nạp đảng viên học sinh"
#define AppExe "lamha-desktop.exe"

[Setup]
AppId={{6B7E2F1C-4A0D-4C59-9B1E-3F2A8D5C7E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LamHa
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={autopf}\lamha-desktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes
OutputDir=..\dist\installer
OutputBaseFilename=lamha-desktop-{#AppVersion}-setup
SetupIconFile=..\resources\icons\lamha.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
#ifdef Sign
; The sign tool "lamhasign" is defined on ISCC's command line (/Slamhasign=...) by build_windows.ps1.
SignTool=lamhasign
SignedUninstaller=yes
#endif

[Languages]
; Inno Setup ships no Vietnamese catalogue; English wizard texts, Vietnamese names and shortcuts.
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade starts from a clean program folder: files of an older Python/Qt would otherwise stay and be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (dữ liệu mẫu)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
