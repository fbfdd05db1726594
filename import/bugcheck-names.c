/* bugcheck-names.c - the Windows bug check codes and their symbolic names
 * (Microsoft's "Bug check code reference"), as data: the reader maps a name
 * printed alone ("the stop code is KMODE EXCEPTION NOT HANDLED") to its
 * code and fills the name of a code printed alone. Sorted by code.
 */
#include "bugcheck-names.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"

static const struct {
	unsigned long long code;
	const char *name;
} names[] = {
	{0x1ULL, "APC_INDEX_MISMATCH"},
	{0x2ULL, "DEVICE_QUEUE_NOT_BUSY"},
	{0x3ULL, "INVALID_AFFINITY_SET"},
	{0x4ULL, "INVALID_DATA_ACCESS_TRAP"},
	{0x5ULL, "INVALID_PROCESS_ATTACH_ATTEMPT"},
	{0x6ULL, "INVALID_PROCESS_DETACH_ATTEMPT"},
	{0x7ULL, "INVALID_SOFTWARE_INTERRUPT"},
	{0x8ULL, "IRQL_NOT_DISPATCH_LEVEL"},
	{0x9ULL, "IRQL_NOT_GREATER_OR_EQUAL"},
	{0xAULL, "IRQL_NOT_LESS_OR_EQUAL"},
	{0xBULL, "NO_EXCEPTION_HANDLING_SUPPORT"},
	{0xCULL, "MAXIMUM_WAIT_OBJECTS_EXCEEDED"},
	{0xDULL, "MUTEX_LEVEL_NUMBER_VIOLATION"},
	{0xEULL, "NO_USER_MODE_CONTEXT"},
	{0xFULL, "SPIN_LOCK_ALREADY_OWNED"},
	{0x10ULL, "SPIN_LOCK_NOT_OWNED"},
	{0x11ULL, "THREAD_NOT_MUTEX_OWNER"},
	{0x12ULL, "TRAP_CAUSE_UNKNOWN"},
	{0x13ULL, "EMPTY_THREAD_REAPER_LIST"},
	{0x14ULL, "CREATE_DELETE_LOCK_NOT_LOCKED"},
	{0x15ULL, "LAST_CHANCE_CALLED_FROM_KMODE"},
	{0x16ULL, "CID_HANDLE_CREATION"},
	{0x17ULL, "CID_HANDLE_DELETION"},
	{0x18ULL, "REFERENCE_BY_POINTER"},
	{0x19ULL, "BAD_POOL_HEADER"},
	{0x1AULL, "MEMORY_MANAGEMENT"},
	{0x1BULL, "PFN_SHARE_COUNT"},
	{0x1CULL, "PFN_REFERENCE_COUNT"},
	{0x1DULL, "NO_SPIN_LOCK_AVAILABLE"},
	{0x1EULL, "KMODE_EXCEPTION_NOT_HANDLED"},
	{0x1FULL, "SHARED_RESOURCE_CONV_ERROR"},
	{0x20ULL, "KERNEL_APC_PENDING_DURING_EXIT"},
	{0x21ULL, "QUOTA_UNDERFLOW"},
	{0x22ULL, "FILE_SYSTEM"},
	{0x23ULL, "FAT_FILE_SYSTEM"},
	{0x24ULL, "NTFS_FILE_SYSTEM"},
	{0x25ULL, "NPFS_FILE_SYSTEM"},
	{0x26ULL, "CDFS_FILE_SYSTEM"},
	{0x27ULL, "RDR_FILE_SYSTEM"},
	{0x28ULL, "CORRUPT_ACCESS_TOKEN"},
	{0x29ULL, "SECURITY_SYSTEM"},
	{0x2AULL, "INCONSISTENT_IRP"},
	{0x2BULL, "PANIC_STACK_SWITCH"},
	{0x2CULL, "PORT_DRIVER_INTERNAL"},
	{0x2DULL, "SCSI_DISK_DRIVER_INTERNAL"},
	{0x2EULL, "DATA_BUS_ERROR"},
	{0x2FULL, "INSTRUCTION_BUS_ERROR"},
	{0x30ULL, "SET_OF_INVALID_CONTEXT"},
	{0x31ULL, "PHASE0_INITIALIZATION_FAILED"},
	{0x32ULL, "PHASE1_INITIALIZATION_FAILED"},
	{0x33ULL, "UNEXPECTED_INITIALIZATION_CALL"},
	{0x34ULL, "CACHE_MANAGER"},
	{0x35ULL, "NO_MORE_IRP_STACK_LOCATIONS"},
	{0x36ULL, "DEVICE_REFERENCE_COUNT_NOT_ZERO"},
	{0x37ULL, "FLOPPY_INTERNAL_ERROR"},
	{0x38ULL, "SERIAL_DRIVER_INTERNAL"},
	{0x39ULL, "SYSTEM_EXIT_OWNED_MUTEX"},
	{0x3AULL, "SYSTEM_UNWIND_PREVIOUS_USER"},
	{0x3BULL, "SYSTEM_SERVICE_EXCEPTION"},
	{0x3CULL, "INTERRUPT_UNWIND_ATTEMPTED"},
	{0x3DULL, "INTERRUPT_EXCEPTION_NOT_HANDLED"},
	{0x3EULL, "MULTIPROCESSOR_CONFIGURATION_NOT_SUPPORTED"},
	{0x3FULL, "NO_MORE_SYSTEM_PTES"},
	{0x40ULL, "TARGET_MDL_TOO_SMALL"},
	{0x41ULL, "MUST_SUCCEED_POOL_EMPTY"},
	{0x42ULL, "ATDISK_DRIVER_INTERNAL"},
	{0x43ULL, "NO_SUCH_PARTITION"},
	{0x44ULL, "MULTIPLE_IRP_COMPLETE_REQUESTS"},
	{0x45ULL, "INSUFFICIENT_SYSTEM_MAP_REGS"},
	{0x46ULL, "DEREF_UNKNOWN_LOGON_SESSION"},
	{0x47ULL, "REF_UNKNOWN_LOGON_SESSION"},
	{0x48ULL, "CANCEL_STATE_IN_COMPLETED_IRP"},
	{0x49ULL, "PAGE_FAULT_WITH_INTERRUPTS_OFF"},
	{0x4AULL, "IRQL_GT_ZERO_AT_SYSTEM_SERVICE"},
	{0x4BULL, "STREAMS_INTERNAL_ERROR"},
	{0x4CULL, "FATAL_UNHANDLED_HARD_ERROR"},
	{0x4DULL, "NO_PAGES_AVAILABLE"},
	{0x4EULL, "PFN_LIST_CORRUPT"},
	{0x4FULL, "NDIS_INTERNAL_ERROR"},
	{0x50ULL, "PAGE_FAULT_IN_NONPAGED_AREA"},
	{0x51ULL, "REGISTRY_ERROR"},
	{0x52ULL, "MAILSLOT_FILE_SYSTEM"},
	{0x53ULL, "NO_BOOT_DEVICE"},
	{0x54ULL, "LM_SERVER_INTERNAL_ERROR"},
	{0x55ULL, "DATA_COHERENCY_EXCEPTION"},
	{0x56ULL, "INSTRUCTION_COHERENCY_EXCEPTION"},
	{0x57ULL, "XNS_INTERNAL_ERROR"},
	{0x58ULL, "FTDISK_INTERNAL_ERROR"},
	{0x59ULL, "PINBALL_FILE_SYSTEM"},
	{0x5AULL, "CRITICAL_SERVICE_FAILED"},
	{0x5BULL, "SET_ENV_VAR_FAILED"},
	{0x5CULL, "HAL_INITIALIZATION_FAILED"},
	{0x5DULL, "UNSUPPORTED_PROCESSOR"},
	{0x5EULL, "OBJECT_INITIALIZATION_FAILED"},
	{0x5FULL, "SECURITY_INITIALIZATION_FAILED"},
	{0x60ULL, "PROCESS_INITIALIZATION_FAILED"},
	{0x61ULL, "HAL1_INITIALIZATION_FAILED"},
	{0x62ULL, "OBJECT1_INITIALIZATION_FAILED"},
	{0x63ULL, "SECURITY1_INITIALIZATION_FAILED"},
	{0x64ULL, "SYMBOLIC_INITIALIZATION_FAILED"},
	{0x65ULL, "MEMORY1_INITIALIZATION_FAILED"},
	{0x66ULL, "CACHE_INITIALIZATION_FAILED"},
	{0x67ULL, "CONFIG_INITIALIZATION_FAILED"},
	{0x68ULL, "FILE_INITIALIZATION_FAILED"},
	{0x69ULL, "IO1_INITIALIZATION_FAILED"},
	{0x6AULL, "LPC_INITIALIZATION_FAILED"},
	{0x6BULL, "PROCESS1_INITIALIZATION_FAILED"},
	{0x6CULL, "REFMON_INITIALIZATION_FAILED"},
	{0x6DULL, "SESSION1_INITIALIZATION_FAILED"},
	{0x6EULL, "SESSION2_INITIALIZATION_FAILED"},
	{0x6FULL, "SESSION3_INITIALIZATION_FAILED"},
	{0x70ULL, "SESSION4_INITIALIZATION_FAILED"},
	{0x71ULL, "SESSION5_INITIALIZATION_FAILED"},
	{0x72ULL, "ASSIGN_DRIVE_LETTERS_FAILED"},
	{0x73ULL, "CONFIG_LIST_FAILED"},
	{0x74ULL, "BAD_SYSTEM_CONFIG_INFO"},
	{0x75ULL, "CANNOT_WRITE_CONFIGURATION"},
	{0x76ULL, "PROCESS_HAS_LOCKED_PAGES"},
	{0x77ULL, "KERNEL_STACK_INPAGE_ERROR"},
	{0x78ULL, "PHASE0_EXCEPTION"},
	{0x79ULL, "MISMATCHED_HAL"},
	{0x7AULL, "KERNEL_DATA_INPAGE_ERROR"},
	{0x7BULL, "INACCESSIBLE_BOOT_DEVICE"},
	{0x7CULL, "BUGCODE_NDIS_DRIVER"},
	{0x7DULL, "INSTALL_MORE_MEMORY"},
	{0x7EULL, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
	{0x7FULL, "UNEXPECTED_KERNEL_MODE_TRAP"},
	{0x80ULL, "NMI_HARDWARE_FAILURE"},
	{0x81ULL, "SPIN_LOCK_INIT_FAILURE"},
	{0x82ULL, "DFS_FILE_SYSTEM"},
	{0x85ULL, "SETUP_FAILURE"},
	{0x8BULL, "MBR_CHECKSUM_MISMATCH"},
	{0x8EULL, "KERNEL_MODE_EXCEPTION_NOT_HANDLED"},
	{0x8FULL, "PP0_INITIALIZATION_FAILED"},
	{0x90ULL, "PP1_INITIALIZATION_FAILED"},
	{0x92ULL, "UP_DRIVER_ON_MP_SYSTEM"},
	{0x93ULL, "INVALID_KERNEL_HANDLE"},
	{0x94ULL, "KERNEL_STACK_LOCKED_AT_EXIT"},
	{0x96ULL, "INVALID_WORK_QUEUE_ITEM"},
	{0x97ULL, "BOUND_IMAGE_UNSUPPORTED"},
	{0x98ULL, "END_OF_NT_EVALUATION_PERIOD"},
	{0x99ULL, "INVALID_REGION_OR_SEGMENT"},
	{0x9AULL, "SYSTEM_LICENSE_VIOLATION"},
	{0x9BULL, "UDFS_FILE_SYSTEM"},
	{0x9CULL, "MACHINE_CHECK_EXCEPTION"},
	{0x9EULL, "USER_MODE_HEALTH_MONITOR"},
	{0x9FULL, "DRIVER_POWER_STATE_FAILURE"},
	{0xA0ULL, "INTERNAL_POWER_ERROR"},
	{0xA1ULL, "PCI_BUS_DRIVER_INTERNAL"},
	{0xA2ULL, "MEMORY_IMAGE_CORRUPT"},
	{0xA3ULL, "ACPI_DRIVER_INTERNAL"},
	{0xA4ULL, "CNSS_FILE_SYSTEM_FILTER"},
	{0xA5ULL, "ACPI_BIOS_ERROR"},
	{0xA7ULL, "BAD_EXHANDLE"},
	{0xABULL, "SESSION_HAS_VALID_POOL_ON_EXIT"},
	{0xACULL, "HAL_MEMORY_ALLOCATION"},
	{0xADULL, "VIDEO_DRIVER_DEBUG_REPORT_REQUEST"},
	{0xB1ULL, "BGI_DETECTED_VIOLATION"},
	{0xB4ULL, "VIDEO_DRIVER_INIT_FAILURE"},
	{0xB8ULL, "ATTEMPTED_SWITCH_FROM_DPC"},
	{0xB9ULL, "CHIPSET_DETECTED_ERROR"},
	{0xBAULL, "SESSION_HAS_VALID_VIEWS_ON_EXIT"},
	{0xBBULL, "NETWORK_BOOT_INITIALIZATION_FAILED"},
	{0xBCULL, "NETWORK_BOOT_DUPLICATE_ADDRESS"},
	{0xBDULL, "INVALID_HIBERNATED_STATE"},
	{0xBEULL, "ATTEMPTED_WRITE_TO_READONLY_MEMORY"},
	{0xBFULL, "MUTEX_ALREADY_OWNED"},
	{0xC1ULL, "SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION"},
	{0xC2ULL, "BAD_POOL_CALLER"},
	{0xC4ULL, "DRIVER_VERIFIER_DETECTED_VIOLATION"},
	{0xC5ULL, "DRIVER_CORRUPTED_EXPOOL"},
	{0xC6ULL, "DRIVER_CAUGHT_MODIFYING_FREED_POOL"},
	{0xC7ULL, "TIMER_OR_DPC_INVALID"},
	{0xC8ULL, "IRQL_UNEXPECTED_VALUE"},
	{0xC9ULL, "DRIVER_VERIFIER_IOMANAGER_VIOLATION"},
	{0xCAULL, "PNP_DETECTED_FATAL_ERROR"},
	{0xCBULL, "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS"},
	{0xCCULL, "PAGE_FAULT_IN_FREED_SPECIAL_POOL"},
	{0xCDULL, "PAGE_FAULT_BEYOND_END_OF_ALLOCATION"},
	{0xCEULL, "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS"},
	{0xCFULL, "TERMINAL_SERVER_DRIVER_MADE_INCORRECT_MEMORY_REFERENCE"},
	{0xD0ULL, "DRIVER_CORRUPTED_MMPOOL"},
	{0xD1ULL, "DRIVER_IRQL_NOT_LESS_OR_EQUAL"},
	{0xD2ULL, "BUGCODE_ID_DRIVER"},
	{0xD3ULL, "DRIVER_PORTION_MUST_BE_NONPAGED"},
	{0xD4ULL, "SYSTEM_SCAN_AT_RAISED_IRQL_CAUGHT_IMPROPER_DRIVER_UNLOAD"},
	{0xD5ULL, "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL"},
	{0xD6ULL, "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION"},
	{0xD7ULL, "DRIVER_UNMAPPING_INVALID_VIEW"},
	{0xD8ULL, "DRIVER_USED_EXCESSIVE_PTES"},
	{0xD9ULL, "LOCKED_PAGES_TRACKER_CORRUPTION"},
	{0xDAULL, "SYSTEM_PTE_MISUSE"},
	{0xDBULL, "DRIVER_CORRUPTED_SYSPTES"},
	{0xDCULL, "DRIVER_INVALID_STACK_ACCESS"},
	{0xDEULL, "POOL_CORRUPTION_IN_FILE_AREA"},
	{0xDFULL, "IMPERSONATING_WORKER_THREAD"},
	{0xE0ULL, "ACPI_BIOS_FATAL_ERROR"},
	{0xE1ULL, "WORKER_THREAD_RETURNED_AT_BAD_IRQL"},
	{0xE2ULL, "MANUALLY_INITIATED_CRASH"},
	{0xE3ULL, "RESOURCE_NOT_OWNED"},
	{0xE4ULL, "WORKER_INVALID"},
	{0xE6ULL, "DRIVER_VERIFIER_DMA_VIOLATION"},
	{0xE7ULL, "INVALID_FLOATING_POINT_STATE"},
	{0xE8ULL, "INVALID_CANCEL_OF_FILE_OPEN"},
	{0xE9ULL, "ACTIVE_EX_WORKER_THREAD_TERMINATION"},
	{0xEAULL, "THREAD_STUCK_IN_DEVICE_DRIVER"},
	{0xEBULL, "DIRTY_MAPPED_PAGES_CONGESTION"},
	{0xECULL, "SESSION_HAS_VALID_SPECIAL_POOL_ON_EXIT"},
	{0xEDULL, "UNMOUNTABLE_BOOT_VOLUME"},
	{0xEFULL, "CRITICAL_PROCESS_DIED"},
	{0xF0ULL, "STORAGE_MINIPORT_ERROR"},
	{0xF1ULL, "SCSI_VERIFIER_DETECTED_VIOLATION"},
	{0xF2ULL, "HARDWARE_INTERRUPT_STORM"},
	{0xF3ULL, "DISORDERLY_SHUTDOWN"},
	{0xF4ULL, "CRITICAL_OBJECT_TERMINATION"},
	{0xF5ULL, "FLTMGR_FILE_SYSTEM"},
	{0xF6ULL, "PCI_VERIFIER_DETECTED_VIOLATION"},
	{0xF7ULL, "DRIVER_OVERRAN_STACK_BUFFER"},
	{0xF8ULL, "RAMDISK_BOOT_INITIALIZATION_FAILED"},
	{0xF9ULL, "DRIVER_RETURNED_STATUS_REPARSE_FOR_VOLUME_OPEN"},
	{0xFAULL, "HTTP_DRIVER_CORRUPTED"},
	{0xFCULL, "ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY"},
	{0xFDULL, "DIRTY_NOWRITE_PAGES_CONGESTION"},
	{0xFEULL, "BUGCODE_USB_DRIVER"},
	{0xFFULL, "RESERVE_QUEUE_OVERFLOW"},
	{0x100ULL, "LOADER_BLOCK_MISMATCH"},
	{0x101ULL, "CLOCK_WATCHDOG_TIMEOUT"},
	{0x102ULL, "DPC_WATCHDOG_TIMEOUT"},
	{0x103ULL, "MUP_FILE_SYSTEM"},
	{0x104ULL, "AGP_INVALID_ACCESS"},
	{0x105ULL, "AGP_GART_CORRUPTION"},
	{0x106ULL, "AGP_ILLEGALLY_REPROGRAMMED"},
	{0x108ULL, "THIRD_PARTY_FILE_SYSTEM_FAILURE"},
	{0x109ULL, "CRITICAL_STRUCTURE_CORRUPTION"},
	{0x10AULL, "APP_TAGGING_INITIALIZATION_FAILED"},
	{0x10CULL, "FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION"},
	{0x10DULL, "WDF_VIOLATION"},
	{0x10EULL, "VIDEO_MEMORY_MANAGEMENT_INTERNAL"},
	{0x10FULL, "RESOURCE_MANAGER_EXCEPTION_NOT_HANDLED"},
	{0x111ULL, "RECURSIVE_NMI"},
	{0x112ULL, "MSRPC_STATE_VIOLATION"},
	{0x113ULL, "VIDEO_DXGKRNL_FATAL_ERROR"},
	{0x114ULL, "VIDEO_SHADOW_DRIVER_FATAL_ERROR"},
	{0x115ULL, "AGP_INTERNAL"},
	{0x116ULL, "VIDEO_TDR_FAILURE"},
	{0x117ULL, "VIDEO_TDR_TIMEOUT_DETECTED"},
	{0x119ULL, "VIDEO_SCHEDULER_INTERNAL_ERROR"},
	{0x11AULL, "EM_INITIALIZATION_FAILURE"},
	{0x11BULL, "DRIVER_RETURNED_HOLDING_CANCEL_LOCK"},
	{0x11CULL, "ATTEMPTED_WRITE_TO_CM_PROTECTED_STORAGE"},
	{0x11DULL, "EVENT_TRACING_FATAL_ERROR"},
	{0x11EULL, "TOO_MANY_RECURSIVE_FAULTS"},
	{0x11FULL, "INVALID_DRIVER_HANDLE"},
	{0x120ULL, "BITLOCKER_FATAL_ERROR"},
	{0x121ULL, "DRIVER_VIOLATION"},
	{0x122ULL, "WHEA_INTERNAL_ERROR"},
	{0x123ULL, "CRYPTO_SELF_TEST_FAILURE"},
	{0x124ULL, "WHEA_UNCORRECTABLE_ERROR"},
	{0x125ULL, "NMR_INVALID_STATE"},
	{0x126ULL, "NETIO_INVALID_POOL_CALLER"},
	{0x127ULL, "PAGE_NOT_ZERO"},
	{0x128ULL, "WORKER_THREAD_RETURNED_WITH_BAD_IO_PRIORITY"},
	{0x129ULL, "WORKER_THREAD_RETURNED_WITH_BAD_PAGING_IO_PRIORITY"},
	{0x12AULL, "MUI_NO_VALID_SYSTEM_LANGUAGE"},
	{0x12BULL, "FAULTY_HARDWARE_CORRUPTED_PAGE"},
	{0x12CULL, "EXFAT_FILE_SYSTEM"},
	{0x12DULL, "VOLSNAP_OVERLAPPED_TABLE_ACCESS"},
	{0x12EULL, "INVALID_MDL_RANGE"},
	{0x12FULL, "VHD_BOOT_INITIALIZATION_FAILED"},
	{0x130ULL, "DYNAMIC_ADD_PROCESSOR_MISMATCH"},
	{0x131ULL, "INVALID_EXTENDED_PROCESSOR_STATE"},
	{0x132ULL, "RESOURCE_OWNER_POINTER_INVALID"},
	{0x133ULL, "DPC_WATCHDOG_VIOLATION"},
	{0x134ULL, "DRIVE_EXTENDER"},
	{0x135ULL, "REGISTRY_FILTER_DRIVER_EXCEPTION"},
	{0x136ULL, "VHD_BOOT_HOST_VOLUME_NOT_ENOUGH_SPACE"},
	{0x137ULL, "WIN32K_HANDLE_MANAGER"},
	{0x138ULL, "GPIO_CONTROLLER_DRIVER_ERROR"},
	{0x139ULL, "KERNEL_SECURITY_CHECK_FAILURE"},
	{0x13AULL, "KERNEL_MODE_HEAP_CORRUPTION"},
	{0x13BULL, "PASSIVE_INTERRUPT_ERROR"},
	{0x13CULL, "INVALID_IO_BOOST_STATE"},
	{0x13DULL, "CRITICAL_INITIALIZATION_FAILURE"},
	{0x140ULL, "STORAGE_DEVICE_ABNORMALITY_DETECTED"},
	{0x141ULL, "VIDEO_ENGINE_TIMEOUT_DETECTED"},
	{0x142ULL, "VIDEO_TDR_APPLICATION_BLOCKED"},
	{0x143ULL, "PROCESSOR_DRIVER_INTERNAL"},
	{0x144ULL, "BUGCODE_USB3_DRIVER"},
	{0x145ULL, "SECURE_BOOT_VIOLATION"},
	{0x146ULL, "NDIS_NET_BUFFER_LIST_INFO_ILLEGALLY_TRANSFERRED"},
	{0x147ULL, "ABNORMAL_RESET_DETECTED"},
	{0x148ULL, "IO_OBJECT_INVALID"},
	{0x149ULL, "REFS_FILE_SYSTEM"},
	{0x14AULL, "KERNEL_WMI_INTERNAL"},
	{0x14BULL, "SOC_SUBSYSTEM_FAILURE"},
	{0x14CULL, "FATAL_ABNORMAL_RESET_ERROR"},
	{0x14DULL, "EXCEPTION_SCOPE_INVALID"},
	{0x14EULL, "SOC_CRITICAL_DEVICE_REMOVED"},
	{0x14FULL, "PDC_WATCHDOG_TIMEOUT"},
	{0x150ULL, "TCPIP_AOAC_NIC_ACTIVE_REFERENCE_LEAK"},
	{0x151ULL, "UNSUPPORTED_INSTRUCTION_MODE"},
	{0x152ULL, "INVALID_PUSH_LOCK_FLAGS"},
	{0x153ULL, "KERNEL_LOCK_ENTRY_LEAKED_ON_THREAD_TERMINATION"},
	{0x154ULL, "UNEXPECTED_STORE_EXCEPTION"},
	{0x155ULL, "OS_DATA_TAMPERING"},
	{0x156ULL, "WINSOCK_DETECTED_HUNG_CLOSESOCKET_LIVEDUMP"},
	{0x157ULL, "KERNEL_THREAD_PRIORITY_FLOOR_VIOLATION"},
	{0x158ULL, "ILLEGAL_IOMMU_PAGE_FAULT"},
	{0x159ULL, "HAL_ILLEGAL_IOMMU_PAGE_FAULT"},
	{0x15AULL, "SDBUS_INTERNAL_ERROR"},
	{0x15BULL, "WORKER_THREAD_RETURNED_WITH_SYSTEM_PAGE_PRIORITY_ACTIVE"},
	{0x15CULL, "PDC_WATCHDOG_TIMEOUT_LIVEDUMP"},
	{0x15DULL, "SOC_SUBSYSTEM_FAILURE_LIVEDUMP"},
	{0x15EULL, "BUGCODE_NDIS_DRIVER_LIVE_DUMP"},
	{0x15FULL, "CONNECTED_STANDBY_WATCHDOG_TIMEOUT_LIVEDUMP"},
	{0x160ULL, "WIN32K_ATOMIC_CHECK_FAILURE"},
	{0x161ULL, "LIVE_SYSTEM_DUMP"},
	{0x162ULL, "KERNEL_AUTO_BOOST_INVALID_LOCK_RELEASE"},
	{0x163ULL, "WORKER_THREAD_TEST_CONDITION"},
	{0x164ULL, "WIN32K_CRITICAL_FAILURE"},
	{0x165ULL, "CLUSTER_CSV_STATUS_IO_TIMEOUT_LIVEDUMP"},
	{0x166ULL, "CLUSTER_RESOURCE_CALL_TIMEOUT_LIVEDUMP"},
	{0x167ULL, "CLUSTER_CSV_SNAPSHOT_DEVICE_INFO_TIMEOUT_LIVEDUMP"},
	{0x168ULL, "CLUSTER_CSV_STATE_TRANSITION_TIMEOUT_LIVEDUMP"},
	{0x169ULL, "CLUSTER_CSV_VOLUME_ARRIVAL_LIVEDUMP"},
	{0x16AULL, "CLUSTER_CSV_VOLUME_REMOVAL_LIVEDUMP"},
	{0x16BULL, "CLUSTER_CSV_CLUSTER_WATCHDOG_LIVEDUMP"},
	{0x16CULL, "INVALID_RUNDOWN_PROTECTION_FLAGS"},
	{0x16DULL, "INVALID_SLOT_ALLOCATOR_FLAGS"},
	{0x16EULL, "ERESOURCE_INVALID_RELEASE"},
	{0x16FULL, "CLUSTER_CSV_STATE_TRANSITION_INTERVAL_TIMEOUT_LIVEDUMP"},
	{0x170ULL, "CLUSTER_CSV_CLUSSVC_DISCONNECT_WATCHDOG"},
	{0x171ULL, "CRYPTO_LIBRARY_INTERNAL_ERROR"},
	{0x173ULL, "COREMSGCALL_INTERNAL_ERROR"},
	{0x174ULL, "COREMSG_INTERNAL_ERROR"},
	{0x175ULL, "PREVIOUS_FATAL_ABNORMAL_RESET_ERROR"},
	{0x178ULL, "ELAM_DRIVER_DETECTED_FATAL_ERROR"},
	{0x179ULL, "CLUSTER_CLUSPORT_STATUS_IO_TIMEOUT_LIVEDUMP"},
	{0x17BULL, "PROFILER_CONFIGURATION_ILLEGAL"},
	{0x17CULL, "PDC_LOCK_WATCHDOG_LIVEDUMP"},
	{0x17DULL, "PDC_UNEXPECTED_REVOCATION_LIVEDUMP"},
	{0x17EULL, "MICROCODE_REVISION_MISMATCH"},
	{0x187ULL, "VIDEO_DWMINIT_TIMEOUT_FALLBACK_BDD"},
	{0x188ULL, "CLUSTER_CSVFS_LIVEDUMP"},
	{0x189ULL, "BAD_OBJECT_HEADER"},
	{0x18BULL, "SECURE_KERNEL_ERROR"},
	{0x18CULL, "HYPERGUARD_VIOLATION"},
	{0x18DULL, "SECURE_FAULT_UNHANDLED"},
	{0x18EULL, "KERNEL_PARTITION_REFERENCE_VIOLATION"},
	{0x190ULL, "WIN32K_CRITICAL_FAILURE_LIVEDUMP"},
	{0x191ULL, "PF_DETECTED_CORRUPTION"},
	{0x192ULL, "KERNEL_AUTO_BOOST_LOCK_ACQUISITION_WITH_RAISED_IRQL"},
	{0x193ULL, "VIDEO_DXGKRNL_LIVEDUMP"},
	{0x195ULL, "SMB_SERVER_LIVEDUMP"},
	{0x196ULL, "LOADER_ROLLBACK_DETECTED"},
	{0x197ULL, "WIN32K_SECURITY_FAILURE"},
	{0x198ULL, "UFX_LIVEDUMP"},
	{0x199ULL, "KERNEL_STORAGE_SLOT_IN_USE"},
	{0x19AULL, "WORKER_THREAD_RETURNED_WHILE_ATTACHED_TO_SILO"},
	{0x19BULL, "TTM_FATAL_ERROR"},
	{0x19CULL, "WIN32K_POWER_WATCHDOG_TIMEOUT"},
	{0x19DULL, "CLUSTER_SVHDX_LIVEDUMP"},
	{0x1A0ULL, "TTM_WATCHDOG_TIMEOUT"},
	{0x1A1ULL, "WIN32K_CALLOUT_WATCHDOG_LIVEDUMP"},
	{0x1A2ULL, "WIN32K_CALLOUT_WATCHDOG_BUGCHECK"},
	{0x1A3ULL, "CALL_HAS_NOT_RETURNED_WATCHDOG_TIMEOUT_LIVEDUMP"},
	{0x1A4ULL, "DRIPS_SW_HW_DIVERGENCE_LIVEDUMP"},
	{0x1A5ULL, "USB_DRIPS_BLOCKER_SURPRISE_REMOVAL_LIVEDUMP"},
	{0x1A6ULL, "BLUETOOTH_ERROR_RECOVERY_LIVEDUMP"},
	{0x1A7ULL, "SMB_REDIRECTOR_LIVEDUMP"},
	{0x1A8ULL, "VIDEO_DXGKRNL_BLACK_SCREEN_LIVEDUMP"},
	{0x1AAULL, "EXCEPTION_ON_INVALID_STACK"},
	{0x1ABULL, "UNWIND_ON_INVALID_STACK"},
	{0x1B0ULL, "VIDEO_MINIPORT_FAILED_LIVEDUMP"},
	{0x1B8ULL, "VIDEO_MINIPORT_BLACK_SCREEN_LIVEDUMP"},
	{0x1C4ULL, "DRIVER_VERIFIER_DETECTED_VIOLATION_LIVEDUMP"},
	{0x1C5ULL, "IO_THREADPOOL_DEADLOCK_LIVEDUMP"},
	{0x1C6ULL, "FAST_ERESOURCE_PRECONDITION_VIOLATION"},
	{0x1C7ULL, "STORE_DATA_STRUCTURE_CORRUPTION"},
	{0x1C8ULL, "MANUALLY_INITIATED_POWER_BUTTON_HOLD"},
	{0x1C9ULL, "USER_MODE_HEALTH_MONITOR_LIVEDUMP"},
	{0x1CAULL, "SYNTHETIC_WATCHDOG_TIMEOUT"},
	{0x1CBULL, "INVALID_SILO_DETACH"},
	{0x1CCULL, "EXRESOURCE_TIMEOUT_LIVEDUMP"},
	{0x1CDULL, "INVALID_CALLBACK_STACK_ADDRESS"},
	{0x1CEULL, "INVALID_KERNEL_STACK_ADDRESS"},
	{0x1CFULL, "HARDWARE_WATCHDOG_TIMEOUT"},
	{0x1D0ULL, "CPI_FIRMWARE_WATCHDOG_TIMEOUT"},
	{0x1D1ULL, "TELEMETRY_ASSERTS_LIVEDUMP"},
	{0x1D2ULL, "WORKER_THREAD_INVALID_STATE"},
	{0x1D3ULL, "WFP_INVALID_OPERATION"},
	{0x1D4ULL, "UCMUCSI_LIVEDUMP"},
	{0x1D5ULL, "DRIVER_PNP_WATCHDOG"},
	{0x1D6ULL, "WORKER_THREAD_RETURNED_WITH_NON_DEFAULT_WORKLOAD_CLASS"},
	{0x1D7ULL, "EFS_FATAL_ERROR"},
	{0x1D8ULL, "UCMUCSI_FAILURE"},
	{0x1D9ULL, "HAL_IOMMU_INTERNAL_ERROR"},
	{0x1DAULL, "HAL_BLOCKED_PROCESSOR_INTERNAL_ERROR"},
	{0x1DBULL, "IPI_WATCHDOG_TIMEOUT"},
	{0x1DCULL, "DMA_COMMON_BUFFER_VECTOR_ERROR"},
	{0x1DDULL, "BUGCODE_MBBADAPTER_DRIVER"},
	{0x1DEULL, "BUGCODE_WIFIADAPTER_DRIVER"},
	{0x1DFULL, "PROCESSOR_START_TIMEOUT"},
	{0x1E4ULL, "VIDEO_DXGKRNL_SYSMM_FATAL_ERROR"},
	{0x1E9ULL, "ILLEGAL_ATS_INITIALIZATION"},
	{0x1EAULL, "SECURE_PCI_CONFIG_SPACE_ACCESS_VIOLATION"},
	{0x1EBULL, "DAM_WATCHDOG_TIMEOUT"},
	{0x1EDULL, "HANDLE_ERROR_ON_CRITICAL_THREAD"},
	{0x356ULL, "XBOX_ERACTRL_CS_TIMEOUT"},
	{0xBFEULL, "BC_BLUETOOTH_VERIFIER_FAULT"},
	{0xBFFULL, "BC_BTHMINI_VERIFIER_FAULT"},
	{0x20001ULL, "HYPERVISOR_ERROR"},
	{0x1000007EULL, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M"},
	{0x1000007FULL, "UNEXPECTED_KERNEL_MODE_TRAP_M"},
	{0x1000008EULL, "KERNEL_MODE_EXCEPTION_NOT_HANDLED_M"},
	{0x100000EAULL, "THREAD_STUCK_IN_DEVICE_DRIVER_M"},
	{0x4000008AULL, "THREAD_TERMINATE_HELD_MUTEX"},
	{0xC0000218ULL, "STATUS_CANNOT_LOAD_REGISTRY_FILE"},
	{0xC000021AULL, "STATUS_SYSTEM_PROCESS_TERMINATED"},
	{0xC0000221ULL, "STATUS_IMAGE_CHECKSUM_MISMATCH"},
	{0xDEADDEADULL, "MANUALLY_INITIATED_CRASH1"},
};

#define NNAMES (sizeof names / sizeof names[0])

const char *bugcheck_name_of(unsigned long long code)
{
	size_t lo = 0, hi = NNAMES;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (names[mid].code == code)
			return names[mid].name;
		if (names[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* names[] in byte order of their names (index into names[]), so a name is
 * found by binary search: every line of a text may be asked */
static const unsigned short by_name[] = {
	290, 152, 196, 150, 204, 230, 231, 243, 229, 0, 234, 113, 65, 221, 159, 249, 165, 153, 344, 168,
	24, 115, 409, 410, 157, 253, 368, 139, 183, 400, 123, 313, 287, 223, 401, 101, 51, 365, 71, 116,
	37, 160, 21, 22, 226, 337, 343, 331, 326, 322, 330, 323, 320, 324, 325, 321, 361, 151, 102, 114,
	314, 333, 334, 39, 387, 19, 282, 214, 209, 89, 233, 332, 256, 406, 45, 84, 69, 1, 53, 129, 206,
	222, 213, 399, 227, 272, 366, 171, 170, 181, 192, 193, 182, 176, 217, 187, 186, 392, 184, 146,
	248, 219, 179, 188, 189, 169, 375, 201, 174, 254, 273, 269, 394, 336, 18, 247, 140, 329, 250, 371,
	296, 265, 383, 377, 295, 75, 34, 264, 103, 33, 54, 215, 235, 87, 277, 96, 397, 308, 91, 396, 155,
	407, 212, 386, 220, 346, 411, 404, 307, 195, 122, 41, 124, 46, 85, 68, 147, 60, 59, 2, 384, 203,
	3, 252, 270, 202, 164, 281, 136, 385, 267, 4, 5, 301, 141, 327, 382, 328, 6, 138, 104, 291, 376,
	398, 73, 7, 8, 9, 173, 31, 317, 351, 121, 302, 132, 414, 279, 348, 278, 118, 137, 357, 306, 293,
	29, 20, 316, 83, 225, 354, 190, 105, 144, 81, 198, 420, 379, 11, 131, 100, 149, 25, 341, 120, 240,
	263, 67, 61, 228, 64, 166, 12, 78, 289, 259, 163, 162, 127, 258, 82, 10, 52, 62, 76, 28, 66, 13,
	36, 35, 97, 93, 304, 178, 177, 79, 72, 260, 42, 280, 148, 216, 339, 340, 298, 311, 77, 27, 26,
	350, 119, 48, 49, 88, 175, 194, 43, 133, 134, 335, 106, 286, 402, 117, 95, 338, 32, 218, 38, 239,
	23, 107, 292, 70, 80, 274, 224, 238, 199, 271, 44, 211, 309, 288, 347, 345, 405, 98, 94, 40, 55,
	108, 109, 110, 111, 112, 154, 207, 161, 130, 90, 47, 30, 369, 353, 297, 294, 312, 167, 14, 128,
	15, 417, 419, 418, 283, 210, 378, 74, 99, 381, 56, 142, 191, 185, 58, 125, 412, 57, 63, 299, 388,
	180, 232, 16, 205, 415, 416, 172, 251, 17, 359, 362, 395, 391, 143, 356, 50, 126, 413, 303, 208,
	300, 92, 372, 135, 367, 145, 380, 275, 268, 156, 158, 342, 370, 241, 352, 403, 284, 237, 374, 373,
	246, 242, 285, 244, 245, 266, 236, 390, 255, 257, 315, 364, 363, 319, 349, 276, 360, 355, 305,
	200, 389, 197, 358, 261, 262, 393, 310, 318, 408, 86,
};

/* ---- names as people misremember them ----
 * "DRIVER_IRQL_LESS_OR_NOT_EQUAL", "SYSTEM SERVICES EXCEPTION": the same
 * words in another order, or one of them plural. The word set of a name
 * (upper case, a trailing 'S' dropped from words longer than three
 * letters, sorted, '_' between) finds it, when no other name has that
 * set and it has three words or more. */
#define WS_KEY 96
static struct wsent {
	char key[WS_KEY];
	unsigned short idx; /* into names; 0xffff: two names share the set */
} *wsets;
static size_t nwsets;
static char (*vocab)[24]; /* the words of the names, folded, distinct */
static size_t nvocab;
/* Both found through hash tables of positions + 1 (0: free), built once a
 * process: sorting them was a tenth of a `pmkb match` of its own. */
#define WS_SLOTS 2048     /* above twice the names */
#define VOCAB_SLOTS 8192  /* above twice the words of the names */
static unsigned short *ws_slots, *vocab_slots;
static pthread_once_t wsets_once = PTHREAD_ONCE_INIT;

/* The slot of key in slots (n of them, a power of two): its own, or the
 * free one where it goes. at(i) is the key at position i. */
static size_t slot_of(const unsigned short *slots, size_t n, const char *key,
		      const char *(*at)(size_t))
{
	size_t i = (size_t)fnv1a64(key, strlen(key)) & (n - 1);
	while (slots[i] && strcmp(at(slots[i] - 1u), key) != 0)
		i = (i + 1) & (n - 1);
	return i;
}

static const char *ws_at(size_t i)
{
	return wsets[i].key;
}

static const char *vocab_at(size_t i)
{
	return vocab[i];
}

static int word_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The word set of s[0..n) (already upper case, '_' between words) in out;
 * its number of words, 0 when it does not fit. */
static int word_set(const char *s, size_t n, char out[WS_KEY])
{
	char buf[WS_KEY];
	const char *w[16];
	int nw = 0;
	if (n >= WS_KEY)
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	for (char *p = buf; *p;) {
		while (*p == '_')
			*p++ = 0;
		if (!*p)
			break;
		if (nw == 16)
			return 0;
		w[nw++] = p;
		while (*p && *p != '_')
			p++;
		size_t l = (size_t)(p - w[nw - 1]);
		if (l > 3 && p[-1] == 'S')
			p[-1] = 0; /* the '_' or NUL after it still ends the word */
	}
	qsort(w, (size_t)nw, sizeof *w, word_cmp);
	size_t o = 0;
	for (int i = 0; i < nw; i++) {
		size_t l = strlen(w[i]);
		if (o + l + 2 > WS_KEY)
			return 0;
		if (i)
			out[o++] = '_';
		memcpy(out + o, w[i], l);
		o += l;
	}
	out[o] = 0;
	return nw;
}

_Static_assert(NNAMES * 2 < WS_SLOTS && NNAMES * 8 * 2 <= VOCAB_SLOTS, "hash tables too small");

static void wsets_build(void)
{
	wsets = calloc(NNAMES, sizeof *wsets);
	ws_slots = calloc(WS_SLOTS, sizeof *ws_slots);
	vocab = calloc(NNAMES * 8, sizeof *vocab);
	vocab_slots = calloc(VOCAB_SLOTS, sizeof *vocab_slots);
	if (!wsets || !ws_slots || !vocab || !vocab_slots) {
		free(wsets);
		free(ws_slots);
		free(vocab);
		free(vocab_slots);
		wsets = NULL;
		vocab = NULL;
		ws_slots = vocab_slots = NULL;
		return;
	}
	/* one entry a distinct word set; names of other codes that share
	 * one make it nobody's */
	for (size_t i = 0; i < NNAMES; i++) {
		if (word_set(names[i].name, strlen(names[i].name), wsets[nwsets].key) < 3)
			continue;
		size_t k = slot_of(ws_slots, WS_SLOTS, wsets[nwsets].key, ws_at);
		if (ws_slots[k]) {
			struct wsent *e = &wsets[ws_slots[k] - 1u];
			if (e->idx != 0xffff && names[e->idx].code != names[i].code)
				e->idx = 0xffff;
			continue;
		}
		wsets[nwsets].idx = (unsigned short)i;
		ws_slots[k] = (unsigned short)++nwsets;
	}
	/* the vocabulary: every word of every name, once */
	for (size_t i = 0; i < NNAMES; i++)
		for (const char *p = names[i].name; *p;) {
			size_t l = strcspn(p, "_");
			size_t next = l;
			if (l > 3 && p[l - 1] == 'S')
				l--;
			if (l && l < sizeof *vocab && nvocab < NNAMES * 8) {
				memcpy(vocab[nvocab], p, l);
				vocab[nvocab][l] = 0;
				size_t k = slot_of(vocab_slots, VOCAB_SLOTS, vocab[nvocab], vocab_at);
				if (!vocab_slots[k]) {
					nvocab++;
					vocab_slots[k] = (unsigned short)nvocab;
				}
			}
			p += next;
			p += *p == '_';
		}
}

static int code_of_word_set(const char *key, size_t n, unsigned long long *code)
{
	char k[WS_KEY];
	if (word_set(key, n, k) < 3)
		return 0;
	pthread_once(&wsets_once, wsets_build);
	if (!wsets)
		return 0;
	size_t slot = slot_of(ws_slots, WS_SLOTS, k, ws_at);
	const struct wsent *e = ws_slots[slot] ? &wsets[ws_slots[slot] - 1u] : NULL;
	if (!e || e->idx == 0xffff)
		return 0;
	*code = names[e->idx].code;
	return 1;
}

int bugcheck_name_word(const char *w, size_t n)
{
	char k[24];
	if (n > 3 && (w[n - 1] == 's' || w[n - 1] == 'S'))
		n--;
	if (n == 0 || n >= sizeof k)
		return 0;
	for (size_t i = 0; i < n; i++)
		k[i] = (char)toupper((unsigned char)w[i]);
	k[n] = 0;
	pthread_once(&wsets_once, wsets_build);
	return vocab && vocab_slots[slot_of(vocab_slots, VOCAB_SLOTS, k, vocab_at)] != 0;
}

int bugcheck_code_of(const char *s, size_t n, unsigned long long *code)
{
	if (n < 4 || n > 80)
		return 0;
	/* upper case, '_' for the ' ' or '-' between words */
	char key[81];
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		key[i] = c == ' ' || c == '-' ? '_' : (char)toupper(c);
	}
	key[n] = '\0';
	size_t lo = 0, hi = sizeof by_name / sizeof by_name[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(names[by_name[mid]].name, key);
		if (r == 0) {
			*code = names[by_name[mid]].code;
			return 1;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return code_of_word_set(key, n, code);
}

/* ---- names as people mistype them ----
 * "MEMORY_MANAGMENT", "PAGE_FAULT_IN_NON_PAGED_AREA", "AGE_FAULT_IN_NONPAGED_AREA"
 * (a title that lost its first letter): the letters and digits of the name,
 * separators left out, within one edit of a name (two from twenty letters
 * on), ten letters or more, when no name of another code is as near. */
#define NEAR_MAX 48
static struct nearent {
	char key[NEAR_MAX];
	unsigned char len;
	unsigned long long mask; /* the letters and digits it holds */
} *near_keys;
static unsigned short *near_order;      /* names by the length of their key */
static unsigned short near_from[NEAR_MAX + 1]; /* first position in near_order of each length */
static pthread_once_t near_once = PTHREAD_ONCE_INIT;

static size_t compact(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c))
			continue;
		if (o + 1 >= cap)
			return 0;
		out[o++] = (char)toupper(c);
	}
	out[o] = 0;
	return o;
}

static unsigned long long mask_of(const char *k)
{
	unsigned long long m = 0;
	for (; *k; k++)
		m |= 1ULL << (isdigit((unsigned char)*k) ? 26 + (*k - '0') : (*k - 'A') % 26);
	return m;
}

static void near_build(void)
{
	near_keys = calloc(NNAMES, sizeof *near_keys);
	near_order = calloc(NNAMES, sizeof *near_order);
	if (!near_keys || !near_order) {
		free(near_keys);
		free(near_order);
		near_keys = NULL;
		near_order = NULL;
		return;
	}
	for (size_t i = 0; i < NNAMES; i++) {
		near_keys[i].len = (unsigned char)compact(names[i].name, strlen(names[i].name), near_keys[i].key, NEAR_MAX);
		near_keys[i].mask = mask_of(near_keys[i].key);
	}
	/* a counting sort by length */
	size_t count[NEAR_MAX + 1] = {0}, o = 0;
	for (size_t i = 0; i < NNAMES; i++)
		count[near_keys[i].len]++;
	for (size_t l = 0; l <= NEAR_MAX; l++) {
		near_from[l] = (unsigned short)o;
		o += count[l];
		count[l] = near_from[l];
	}
	for (size_t i = 0; i < NNAMES; i++)
		near_order[count[near_keys[i].len]++] = (unsigned short)i;
}

/* The edit distance of a[0..la) and b[0..lb) when it is at most max, else
 * max + 1 (a band of 2 * max + 1 cells a row). */
static int edit_within(const char *a, size_t la, const char *b, size_t lb, int max)
{
	int prev[NEAR_MAX + 1], cur[NEAR_MAX + 1];
	const int inf = max + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j <= (size_t)max ? (int)j : inf;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > (size_t)max ? i - (size_t)max : 1, hi = i + (size_t)max < lb ? i + (size_t)max : lb;
		int best = inf;
		cur[0] = i <= (size_t)max ? (int)i : inf;
		for (size_t j = 1; j <= lb; j++) {
			if (j < lo || j > hi) {
				cur[j] = inf;
				continue;
			}
			int d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d > inf ? inf : d;
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > max && cur[0] > max)
			return inf;
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb] > max ? inf : prev[lb];
}

int bugcheck_code_near(const char *s, size_t n, unsigned long long *code)
{
	char k[NEAR_MAX];
	size_t l = compact(s, n, k, sizeof k);
	if (l < 10)
		return 0;
	pthread_once(&near_once, near_build);
	if (!near_keys)
		return 0;
	int max = l >= 20 ? 2 : 1, best = max + 1;
	unsigned long long m = mask_of(k);
	unsigned long long bc = 0;
	int ambiguous = 0;
	size_t from = near_from[l - (size_t)max], to = l + (size_t)max < NEAR_MAX ? near_from[l + (size_t)max + 1] : NNAMES;
	for (size_t o = from; o < to; o++) {
		size_t i = near_order[o], nl = near_keys[i].len;
		/* an edit adds or takes away at most two of the letters held */
		if (!nl || __builtin_popcountll(m ^ near_keys[i].mask) > 2 * max)
			continue;
		int d = edit_within(k, l, near_keys[i].key, nl, best < max ? best : max);
		if (d > max || d > best)
			continue;
		/* the _M twin of a code is the same code */
		unsigned long long c = names[i].code >> 12 == 0x10000 ? names[i].code & 0xfff : names[i].code;
		if (d < best) {
			best = d;
			bc = c;
			ambiguous = 0;
		} else if (c != bc) {
			ambiguous = 1;
		}
	}
	if (best > max || ambiguous)
		return 0;
	*code = bc;
	return 1;
}

size_t bugcheck_names_count(void)
{
	return NNAMES;
}

const char *bugcheck_names_entry(size_t i, unsigned long long *code)
{
	if (i >= NNAMES)
		return NULL;
	*code = names[i].code;
	return names[i].name;
}
