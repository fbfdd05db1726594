pmkb-sig	1
bugcheck	0x1e	X_NAME
args	\N	\N	\N	\N
process	system
image	npf
os_build	\N
failure_bucket	\N
text	0x1e | 0x3200360035 | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | vwifimf+0x1f92 | netwtw08
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	\N	0	bugcheck plumbing
frame	nt!KiPageFault	nt	KiPageFault	0x42e	0	trap plumbing
frame	0x3200360035	\N	\N	\N	0	\N
frame	nwifi!Dot11SendCompletion	nwifi	Dot11SendCompletion	0x4b	0	\N
frame	nwifi!Pt6SendComplete	nwifi	Pt6SendComplete	0x1d	0	\N
frame	vwifimf+0x1f92	vwifimf	\N	0x1f92	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
module	netwtw08	1
module	npf	1
module	nt	0
module	nwifi	0
module	vwifimf	1
pool	Filt	vwifimf
end	7	5	1
