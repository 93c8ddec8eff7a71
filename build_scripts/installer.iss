; Inno Setup 6 script: installs the PyInstaller bundle dist\lamha-desktop for the current user only
; Saved as UTF-8 with a BOM, so that Inno Setup reads the Vietnamese names correctly.
; (no administrator rights: %LOCALAPPDATA%\Programs\lamha-desktop, Start menu and optional desktop shortcut).
; Built by build_scripts\build_windows.ps1, which passes the version:  ISCC /DAppVersion=0.1.0 installer.iss
; The user's data stays in %APPDATA%\LamHa\lamha_desktop and is never removed by the uninstaller.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Quản lý kết nạp đảng viên học sinh"
#define AppExe "lamha-desktop.exe"

[Setup]
AppId={{6B7E2F1C-4A0D-4C59-9B1E-3F2A8D5C7E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=LamHa
VersionInfoVersion={#AppVersion}
DefaultDirName={localappdata}\Programs\lamha-desktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename=lamha-desktop-{#AppVersion}-setup
SetupIconFile=..\resources\icons\lamha.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
; Inno Setup ships no Vietnamese catalogue; English wizard texts, Vietnamese names and shortcuts.
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\lamha-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (dữ liệu mẫu)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
