; Inno Setup script for Windows (Inno Setup 6): a per-user install of the onedir build, no
; administrator rights, Russian wizard. Build on Windows after `make dist` has produced
; dist\opora there (PyInstaller does not cross-compile):  iscc /DAppVersion=0.1.0 packaging\opora.iss
; It cannot be built or tested on the Linux CI machine.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C8E0A-5B7E-4C55-9A57-0B5D1E4F6A21}
AppName=Опора
AppVersion={#AppVersion}
AppPublisher=Опора
DefaultDirName={localappdata}\Programs\Opora
DefaultGroupName=Опора
DisableProgramGroupPage=yes
; per-user: no UAC prompt, nothing written outside the user's profile
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; Windows 10 1809 (build 17763) or newer: what Qt 6 supports; older systems get a clear message
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=opora-{#AppVersion}-setup
SetupIconFile=opora.ico
UninstallDisplayIcon={app}\opora.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Messages]
russian.WindowsVersionNotSupported=Для работы «Опоры» нужна Windows 10 версии 1809 или новее. Обновите Windows или обратитесь к специалисту по информатизации.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\opora\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Опора"; Filename: "{app}\opora.exe"
Name: "{autodesktop}\Опора"; Filename: "{app}\opora.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\opora.exe"; Description: "{cm:LaunchProgram,Опора}"; Flags: nowait postinstall skipifsilent

; The data directory (%LOCALAPPDATA%\Opora\...) is not removed on uninstall: school data is never
; deleted by an installer.
