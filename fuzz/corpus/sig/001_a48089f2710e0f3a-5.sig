pmkb-sig	1
bugcheck	0xfc	ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY
args	0xfffff8032addb290	0x89000002284fe863	0xfffff08f489f4b50	0x2
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	0xfc | tcpip!Ipv4Global | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | ndis!ndisCallSendCompleteHandler
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	\N	0	bugcheck plumbing
frame	nt!MiCheckSystemNxFault	nt	MiCheckSystemNxFault	\N	0	page fault handling
frame	nt!MiSystemFault	nt	MiSystemFault	\N	0	page fault handling
frame	nt!MmAccessFault	nt	MmAccessFault	\N	0	page fault handling
frame	nt!KiPageFault	nt	KiPageFault	\N	0	trap plumbing
frame	tcpip!Ipv4Global	tcpip	Ipv4Global	\N	0	\N
frame	nwifi!Dot11SendCompletion	nwifi	Dot11SendCompletion	\N	0	\N
frame	nwifi!Pt6SendComplete	nwifi	Pt6SendComplete	\N	0	\N
frame	ndis!ndisCallSendCompleteHandler	ndis	ndisCallSendCompleteHandler	\N	0	\N
frame	ndis!ndisDataPathExpandStackCallback	ndis	ndisDataPathExpandStackCallback	\N	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutInternal	nt	KeExpandKernelStackAndCalloutInternal	\N	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutEx	nt	KeExpandKernelStackAndCalloutEx	\N	0	stack expansion callout
module	ndis	0
module	nt	0
module	nwifi	0
module	tcpip	0
module	vwifimf	1
pool	Filt	vwifimf
pool	DSnd	\N
pool	Io	\N
pool	FSfc	\N
pool	VWFF	\N
pool	IoUs	\N
end	12	5	6
