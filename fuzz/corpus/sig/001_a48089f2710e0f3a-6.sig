pmkb-sig	1
bugcheck	0x1e	KMODE_EXCEPTION_NOT_HANDLED
args	0xffffffff80000003	0xfffff801404e6235	0xffff840132bde868	0xffff840132bde0b0
process	system
image	\N
os_build	\N
failure_bucket	\N
text	0x1e | 0x3200360035 | nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | ndis!ndisCallSendCompleteHandler | ndis!ndisInvokeNextSendCompleteHandler | ndis!NdisFSendNetBufferListsComplete
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	0x0	0	bugcheck plumbing
frame	nt!KiFatalFilter	nt	KiFatalFilter	0x1f	0	bugcheck plumbing
frame	nt!KeExpandKernelStackAndCalloutInternal$filt$0	nt	KeExpandKernelStackAndCalloutInternal$filt$0	0x16	0	exception filter funclet
frame	nt!__C_specific_handler	nt	__C_specific_handler	0x9f	0	exception dispatch
frame	nt!RtlpExecuteHandlerForException	nt	RtlpExecuteHandlerForException	0xf	0	exception dispatch
frame	nt!RtlDispatchException	nt	RtlDispatchException	0x430	0	exception dispatch
frame	nt!KiDispatchException	nt	KiDispatchException	0x144	0	exception dispatch
frame	nt!KiExceptionDispatch	nt	KiExceptionDispatch	0xc2	0	exception dispatch
frame	nt!KiBreakpointTrap	nt	KiBreakpointTrap	0x301	0	trap plumbing
frame	nt!KeCheckStackAndTargetAddress	nt	KeCheckStackAndTargetAddress	0x46	0	exception dispatch
frame	nt!__C_specific_handler	nt	__C_specific_handler	0x3b	0	exception dispatch
frame	nt!RtlpExecuteHandlerForException	nt	RtlpExecuteHandlerForException	0xf	0	exception dispatch
frame	nt!RtlDispatchException	nt	RtlDispatchException	0x430	0	exception dispatch
frame	nt!KiDispatchException	nt	KiDispatchException	0x144	0	exception dispatch
frame	nt!KiExceptionDispatch	nt	KiExceptionDispatch	0xc2	0	exception dispatch
frame	nt!KiPageFault	nt	KiPageFault	0x42e	0	trap plumbing
frame	0x3200360035	\N	\N	\N	0	\N
frame	nwifi!Dot11SendCompletion	nwifi	Dot11SendCompletion	0x4b	0	\N
frame	nwifi!Pt6SendComplete	nwifi	Pt6SendComplete	0x1d	0	\N
frame	ndis!ndisCallSendCompleteHandler	ndis	ndisCallSendCompleteHandler	0x33	0	\N
frame	ndis!ndisDataPathExpandStackCallback	ndis	ndisDataPathExpandStackCallback	0x3e	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutInternal	nt	KeExpandKernelStackAndCalloutInternal	0x78	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutEx	nt	KeExpandKernelStackAndCalloutEx	0x1d	0	stack expansion callout
frame	ndis!ndisExpandStack	ndis	ndisExpandStack	0x65	0	stack expansion callout
frame	ndis!ndisExpandDataPathStack	ndis	ndisExpandDataPathStack	0x65	0	stack expansion callout
frame	ndis!ndisInvokeNextSendCompleteHandler	ndis	ndisInvokeNextSendCompleteHandler	0x28ba1	0	\N
frame	ndis!NdisFSendNetBufferListsComplete	ndis	NdisFSendNetBufferListsComplete	0x28dc4	0	\N
frame	vwifimf+0x1f92	vwifimf	\N	0x1f92	1	\N
frame	ndis!ndisCallSendCompleteHandler	ndis	ndisCallSendCompleteHandler	0x33	0	\N
frame	ndis!ndisDataPathExpandStackCallback	ndis	ndisDataPathExpandStackCallback	0x3e	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutInternal	nt	KeExpandKernelStackAndCalloutInternal	0x78	0	stack expansion callout
frame	nt!KeExpandKernelStackAndCalloutEx	nt	KeExpandKernelStackAndCalloutEx	0x1d	0	stack expansion callout
frame	ndis!ndisExpandStack	ndis	ndisExpandStack	0x65	0	stack expansion callout
module	ndis	0
module	nt	0
module	nwifi	0
module	vwifimf	1
pool	Filt	vwifimf
end	33	4	1
