# Sources of the `optimized` kernel library (paths relative to reference-firmware/).
# Read by reference-firmware/CMakeLists.txt. Include directory needed: kernels/include (the
# sources find arm_simd.h next to them). softmax and average pool forward to the reference
# kernels listed last.
set(MCUSIM_OPTIMIZED_KERNEL_SOURCES
  kernels/optimized/conv2d_s8.c
  kernels/optimized/depthwise_conv2d_s8.c
  kernels/optimized/fully_connected_s8.c
  kernels/optimized/add_s8.c
  kernels/optimized/library.c
  kernels/reference/avgpool_s8.c
  kernels/reference/softmax_s8.c)
