pmkb-sig	1
bugcheck	\N	\N
args	\N	\N	\N	\N
process	\N
image	\N
os_build	\N
failure_bucket	\N
text	nwifi!Dot11SendCompletion | nwifi!Pt6SendComplete | ndis!ndisCallSendCompleteHandler | ndis!ndisIterativeDPInvokeHandlerOnTracker | ndis!ndisInvokeNextSendCompleteHandler | ndis!ndisMSendNetBufferListsCompleteInternal
frame	nt!KeBugCheckEx	nt	KeBugCheckEx	\N	0	bugcheck plumbing
frame	nt!KiBugCheckDispatch	nt	KiBugCheckDispatch	\N	0	bugcheck plumbing
frame	nt!KiPageFault	nt	KiPageFault	\N	0	trap plumbing
frame	nwifi!Dot11SendCompletion	nwifi	Dot11SendCompletion	\N	0	\N
frame	nwifi!Pt6SendComplete	nwifi	Pt6SendComplete	\N	0	\N
frame	ndis!ndisCallSendCompleteHandler	ndis	ndisCallSendCompleteHandler	\N	0	\N
frame	ndis!ndisIterativeDPInvokeHandlerOnTracker	ndis	ndisIterativeDPInvokeHandlerOnTracker	\N	0	\N
frame	ndis!ndisInvokeNextSendCompleteHandler	ndis	ndisInvokeNextSendCompleteHandler	\N	0	\N
frame	ndis!ndisMSendNetBufferListsCompleteInternal	ndis	ndisMSendNetBufferListsCompleteInternal	\N	0	\N
frame	ndis!NdisMSendNetBufferListsComplete	ndis	NdisMSendNetBufferListsComplete	\N	0	\N
frame	wdiwifi!CPort::SendCompleteNetBufferLists	wdiwifi	CPort::SendCompleteNetBufferLists	\N	0	\N
frame	wdiwifi!CAdapter::SendCompleteNbl	wdiwifi	CAdapter::SendCompleteNbl	\N	0	\N
frame	wdiwifi!CTxMgr::CompleteNdisNbl	wdiwifi	CTxMgr::CompleteNdisNbl	\N	0	\N
frame	wdiwifi!CTxMgr::CompleteNBLs	wdiwifi	CTxMgr::CompleteNBLs	\N	0	\N
frame	wdiwifi!CTxMgr::TxTransferCompleteInd	wdiwifi	CTxMgr::TxTransferCompleteInd	\N	0	\N
frame	wdiwifi!AdapterTxTransferCompleteInd	wdiwifi	AdapterTxTransferCompleteInd	\N	0	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
frame	netwtw08	netwtw08	\N	\N	1	\N
module	ndis	0
module	netwtw08	1
module	nt	0
module	nwifi	0
module	vwifimf	1
module	wdiwifi	0
pool	Filt	vwifimf
end	24	6	1
