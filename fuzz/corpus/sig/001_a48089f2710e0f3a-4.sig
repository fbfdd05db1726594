pmkb-sig	1
bugcheck	0x139	KERNEL_SECURITY_CHECK_FAILURE
args	0x3	0xffffe28054c37200	0xffffe28054c37158	0x0
process	system
image	\N
os_build	\N
failure_bucket	\N
text	0x139 | nt!RemoveHeadList | nt!FsRtlTeardownPerFileContexts
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	0x0	0	bugcheck plumbing
frame	nt!KiBugCheckDispatch	nt	KiBugCheckDispatch	0x69	0	bugcheck plumbing
frame	nt!KiFastFailDispatch	nt	KiFastFailDispatch	0xd0	0	fail-fast plumbing
frame	nt!KiRaiseSecurityCheckFailure	nt	KiRaiseSecurityCheckFailure	0x30e	0	fail-fast plumbing
frame	nt!RtlFailFast	nt	RtlFailFast	0x5	0	fail-fast plumbing
frame	nt!FatalListEntryError	nt	FatalListEntryError	0x5	0	fail-fast plumbing
frame	nt!RemoveHeadList	nt	RemoveHeadList	0x65	0	\N
frame	nt!FsRtlTeardownPerFileContexts	nt	FsRtlTeardownPerFileContexts	0xc7	0	\N
module	nt	0
module	vwifimf	1
pool	FSfc	nt
pool	Filt	vwifimf
pool	FOCX	\N
pool	Io	\N
end	8	2	4
