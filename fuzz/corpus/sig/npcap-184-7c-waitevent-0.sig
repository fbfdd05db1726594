pmkb-sig	1
bugcheck	0x7c	\N
args	\N	\N	\N	\N
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	0x7c | ndis!NdisWaitEvent | npcap+0x33b6 | npcap+0x42b9 | npcap+0x3226 | npcap+0x3185 | ndis!ndisFInvokeDetach
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	\N	0	bugcheck plumbing
frame	ndis!NdisWaitEvent	ndis	NdisWaitEvent	0x1f580	0	\N
frame	npcap+0x33b6	npcap	\N	0x33b6	1	\N
frame	npcap+0x42b9	npcap	\N	0x42b9	1	\N
frame	npcap+0x3226	npcap	\N	0x3226	1	\N
frame	npcap+0x3185	npcap	\N	0x3185	1	\N
frame	ndis!ndisFInvokeDetach	ndis	ndisFInvokeDetach	0x68	0	\N
frame	ndis!ndisDetachFilterInner	ndis	ndisDetachFilterInner	0x27c	0	\N
frame	ndis!ndisDetachFilter	ndis	ndisDetachFilter	0xb1	0	\N
module	ndis	0
module	npcap	1
module	nt	0
end	9	3	0
