pmkb-sig	1
bugcheck	\N	\N
args	\N	\N	\N	\N
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	nt!IopGetFileObjectExtension | nt!IoGetOplockFullFoExt | nt!FsRtlpOplockDequeueRH | nt!FsRtlUninitializeOplock | dokan2!DokanDeleteFcb | dokan2!DokanFreeFCB
frame	nt!IopGetFileObjectExtension	nt	IopGetFileObjectExtension	0x18	0	\N
frame	nt!IoGetOplockFullFoExt	nt	IoGetOplockFullFoExt	0x15	0	\N
frame	nt!FsRtlpOplockDequeueRH	nt	FsRtlpOplockDequeueRH	0x10	0	\N
frame	nt!FsRtlUninitializeOplock	nt	FsRtlUninitializeOplock	0x23d	0	\N
frame	dokan2!DokanDeleteFcb	dokan2	DokanDeleteFcb	0x10e	1	\N
frame	dokan2!DokanFreeFCB	dokan2	DokanFreeFCB	0x1c5	1	\N
frame	dokan2!DokanDispatchClose	dokan2	DokanDispatchClose	0x18d	1	\N
frame	dokan2!DokanDispatchRequest	dokan2	DokanDispatchRequest	0x407	1	\N
module	dokan2	1
module	nt	0
end	8	2	0
