# SPDX-License-Identifier: Apache-2.0
# Flags for this project's own targets (tests, emulator, examples, benchmarks). The library
# target itself imposes none on its users.
include(CheckCXXSourceRuns)

# simdjson's on-demand API picks its kernel when the including code is compiled: without AVX2
# flags it is the scalar fallback. Use the haswell kernel when the build machine can run it.
set(_daytona_simd_flags -mavx2 -mbmi -mbmi2 -mlzcnt -mpclmul)
if(NOT DEFINED DAYTONA_HAS_AVX2)
    check_cxx_source_runs("int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"bmi2\") && __builtin_cpu_supports(\"pclmul\") ? 0 : 1; }"
                          DAYTONA_HAS_AVX2)
endif()

function(daytona_project_flags target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>
        # GCC 12 warns about asio's awaitable frame operator delete (a false positive).
        $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-mismatched-new-delete>
        # GCC 12 also warns of a maybe-uninitialized shared_ptr inside asio's co_spawn handler
        # when it destroys a result<T> it value-initialized itself (a false positive).
        $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-maybe-uninitialized>)
    if(DAYTONA_HAS_AVX2)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:${_daytona_simd_flags}>)
    endif()
    if(DAYTONA_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
    if(DAYTONA_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=${DAYTONA_SANITIZE} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=${DAYTONA_SANITIZE})
    endif()
endfunction()
