pmkb-sig	1
bugcheck	0xc4	DRIVER_VERIFIER_DETECTED_VIOLATION
args	0xf6	0x24b0	0xffffe6841fa57580	0xfffff8089d90aa39
process	explorer.exe
image	\N
os_build	\N
failure_bucket	\N
text	0xc4 | nt!VfCheckUserHandle | nt!ObpReferenceObjectByHandleWithTag | nt!ObReferenceObjectByHandleWithTag | nt!ObReferenceObjectByHandle | nt!_ObReferenceObjectByHandle | nt!NtQuerySymbolicLinkObject
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	0x0	0	bugcheck plumbing
frame	nt!VerifierBugCheckIfAppropriate	nt	VerifierBugCheckIfAppropriate	0xdf	0	verifier reporting
frame	nt!VfCheckUserHandle	nt	VfCheckUserHandle	0x1d4	0	\N
frame	nt!ObpReferenceObjectByHandleWithTag	nt	ObpReferenceObjectByHandleWithTag	0x1a23ad	0	\N
frame	nt!ObReferenceObjectByHandleWithTag	nt	ObReferenceObjectByHandleWithTag	0x2a	0	\N
frame	nt!ObReferenceObjectByHandle	nt	ObReferenceObjectByHandle	0x2e	0	\N
frame	nt!_ObReferenceObjectByHandle	nt	_ObReferenceObjectByHandle	0x24	0	\N
frame	nt!NtQuerySymbolicLinkObject	nt	NtQuerySymbolicLinkObject	0xf3	0	\N
frame	nt!KiSystemServiceCopyEnd	nt	KiSystemServiceCopyEnd	0x13	0	system service dispatch
frame	nt!KiServiceLinkage	nt	KiServiceLinkage	0x0	0	system service dispatch
frame	nt!VfZwQuerySymbolicLinkObject	nt	VfZwQuerySymbolicLinkObject	0x56	0	\N
frame	gscfmgr+0xaa39	gscfmgr	\N	0xaa39	1	\N
frame	gscfmgr+0xab92	gscfmgr	\N	0xab92	1	\N
frame	gscfmgr+0x5c0d	gscfmgr	\N	0x5c0d	1	\N
module	gscfmgr	1
module	nt	0
end	14	2	0
