pmkb-sig	1
bugcheck	0x7e	X_NAME
args	\N	\N	\N	\N
process	system
image	npf
os_build	\N
failure_bucket	\N
text	0x7e | ndis!NdisFDeregisterFilterDriver | lwfmgr+0x5167 | lwfmgr+0xb49a | nt!IopLoadDriver
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	0x0	0	bugcheck plumbing
frame	nt!PspSystemThreadStartup$filt$0	nt	PspSystemThreadStartup$filt$0	0x44	0	exception filter funclet
frame	nt!KiPageFault	nt	KiPageFault	0x42e	0	trap plumbing
frame	ndis!NdisFDeregisterFilterDriver	ndis	NdisFDeregisterFilterDriver	0x47	0	\N
frame	lwfmgr+0x5167	lwfmgr	\N	0x5167	1	\N
frame	lwfmgr+0xb49a	lwfmgr	\N	0xb49a	1	\N
frame	nt!IopLoadDriver	nt	IopLoadDriver	0x4bd	0	\N
frame	nt!KiStartSystemThread	nt	KiStartSystemThread	0x1c	0	thread start
module	lwfmgr	1
module	ndis	0
module	npf	1
module	nt	0
module	vwifimf	1
pool	Filt	vwifimf
end	8	5	1
