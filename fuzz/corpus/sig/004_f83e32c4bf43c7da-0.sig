pmkb-sig	1
bugcheck	0xbe	ATTEMPTED_WRITE_TO_READONLY_MEMORY
args	0xfffffec500007038	0x8a00000004000021	0xfffff582b04ea8d0	0xb
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	0xbe | nt!RtlInterlockedSetClearRunEx | nt!MiReservePtes | nt!MiInsertInSystemSpace | nt!MiMapViewInSystemSpace | nt!MmMapViewInSessionSpaceEx | nt!MmMapViewInSessionSpace
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	\N	0	bugcheck plumbing
frame	nt!MiSystemFault	nt	MiSystemFault	0x1d6d0d	0	page fault handling
frame	nt!MmAccessFault	nt	MmAccessFault	0x400	0	page fault handling
frame	nt!KiPageFault	nt	KiPageFault	0x358	0	trap plumbing
frame	nt!RtlInterlockedSetClearRunEx	nt	RtlInterlockedSetClearRunEx	0x71	0	\N
frame	nt!MiReservePtes	nt	MiReservePtes	0x297	0	\N
frame	nt!MiInsertInSystemSpace	nt	MiInsertInSystemSpace	0x1ef	0	\N
frame	nt!MiMapViewInSystemSpace	nt	MiMapViewInSystemSpace	0xc0	0	\N
frame	nt!MmMapViewInSessionSpaceEx	nt	MmMapViewInSessionSpaceEx	0x51	0	\N
frame	nt!MmMapViewInSessionSpace	nt	MmMapViewInSessionSpace	0x1a	0	\N
frame	win32kfull!InitializeWin32CrossSessionGlobals	win32kfull	InitializeWin32CrossSessionGlobals	0x10d	0	\N
frame	win32kbase!Win32kBaseDriverEntry	win32kbase	Win32kBaseDriverEntry	0x21d	0	\N
frame	win32k!DriverEntry	win32k	DriverEntry	0x70	0	\N
frame	win32k!GsDriverEntry	win32k	GsDriverEntry	0x20	0	\N
frame	nt!ExpInitializeSessionDriver	nt	ExpInitializeSessionDriver	0x39	0	\N
frame	nt!NtSetSystemInformation	nt	NtSetSystemInformation	0x74c	0	\N
frame	nt!KiSystemServiceCopyEnd	nt	KiSystemServiceCopyEnd	0x28	0	system service dispatch
frame	nt!KiServiceLinkage	nt	KiServiceLinkage	\N	0	system service dispatch
frame	nt!NtSetSystemInformation	nt	NtSetSystemInformation	0x6a4	0	\N
frame	nt!KiSystemServiceCopyEnd	nt	KiSystemServiceCopyEnd	0x28	0	system service dispatch
frame	ntdll!NtSetSystemInformation	ntdll	NtSetSystemInformation	0x14	0	\N
frame	smss!SmscpLoadSubSystemsForMuSession	smss	SmscpLoadSubSystemsForMuSession	0xa4	0	\N
frame	smss!SmscMain	smss	SmscMain	0xfa	0	\N
frame	smss!wmain	smss	wmain	0x132	0	\N
frame	smss!NtProcessStartupW_AfterSecurityCookieInitialized	smss	NtProcessStartupW_AfterSecurityCookieInitialized	0x2da	0	\N
frame	smss!NtProcessStartupW	smss	NtProcessStartupW	0x16	0	\N
frame	ntdll!RtlUserThreadStart	ntdll	RtlUserThreadStart	0x2f	0	thread start
module	nt	0
module	ntdll	0
module	smss	0
module	win32k	0
module	win32kbase	0
module	win32kfull	0
end	27	6	0
