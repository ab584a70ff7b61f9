package wiki.dataflow.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Starts, reads, follows, cancels and retries workflow executions.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ExecutionServiceGrpc {

  private ExecutionServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataflow.v1.ExecutionService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.ExecuteWorkflowRequest,
      wiki.dataflow.v1.ExecuteWorkflowResponse> getExecuteWorkflowMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ExecuteWorkflow",
      requestType = wiki.dataflow.v1.ExecuteWorkflowRequest.class,
      responseType = wiki.dataflow.v1.ExecuteWorkflowResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.ExecuteWorkflowRequest,
      wiki.dataflow.v1.ExecuteWorkflowResponse> getExecuteWorkflowMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.ExecuteWorkflowRequest, wiki.dataflow.v1.ExecuteWorkflowResponse> getExecuteWorkflowMethod;
    if ((getExecuteWorkflowMethod = ExecutionServiceGrpc.getExecuteWorkflowMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getExecuteWorkflowMethod = ExecutionServiceGrpc.getExecuteWorkflowMethod) == null) {
          ExecutionServiceGrpc.getExecuteWorkflowMethod = getExecuteWorkflowMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.ExecuteWorkflowRequest, wiki.dataflow.v1.ExecuteWorkflowResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ExecuteWorkflow"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ExecuteWorkflowRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ExecuteWorkflowResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("ExecuteWorkflow"))
              .build();
        }
      }
    }
    return getExecuteWorkflowMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.GetExecutionRequest,
      wiki.dataflow.v1.GetExecutionResponse> getGetExecutionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetExecution",
      requestType = wiki.dataflow.v1.GetExecutionRequest.class,
      responseType = wiki.dataflow.v1.GetExecutionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.GetExecutionRequest,
      wiki.dataflow.v1.GetExecutionResponse> getGetExecutionMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.GetExecutionRequest, wiki.dataflow.v1.GetExecutionResponse> getGetExecutionMethod;
    if ((getGetExecutionMethod = ExecutionServiceGrpc.getGetExecutionMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getGetExecutionMethod = ExecutionServiceGrpc.getGetExecutionMethod) == null) {
          ExecutionServiceGrpc.getGetExecutionMethod = getGetExecutionMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.GetExecutionRequest, wiki.dataflow.v1.GetExecutionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetExecution"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetExecutionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetExecutionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("GetExecution"))
              .build();
        }
      }
    }
    return getGetExecutionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.ListExecutionsRequest,
      wiki.dataflow.v1.ListExecutionsResponse> getListExecutionsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListExecutions",
      requestType = wiki.dataflow.v1.ListExecutionsRequest.class,
      responseType = wiki.dataflow.v1.ListExecutionsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.ListExecutionsRequest,
      wiki.dataflow.v1.ListExecutionsResponse> getListExecutionsMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.ListExecutionsRequest, wiki.dataflow.v1.ListExecutionsResponse> getListExecutionsMethod;
    if ((getListExecutionsMethod = ExecutionServiceGrpc.getListExecutionsMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getListExecutionsMethod = ExecutionServiceGrpc.getListExecutionsMethod) == null) {
          ExecutionServiceGrpc.getListExecutionsMethod = getListExecutionsMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.ListExecutionsRequest, wiki.dataflow.v1.ListExecutionsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListExecutions"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListExecutionsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListExecutionsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("ListExecutions"))
              .build();
        }
      }
    }
    return getListExecutionsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.WatchExecutionRequest,
      wiki.dataflow.v1.WatchExecutionResponse> getWatchExecutionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "WatchExecution",
      requestType = wiki.dataflow.v1.WatchExecutionRequest.class,
      responseType = wiki.dataflow.v1.WatchExecutionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.WatchExecutionRequest,
      wiki.dataflow.v1.WatchExecutionResponse> getWatchExecutionMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.WatchExecutionRequest, wiki.dataflow.v1.WatchExecutionResponse> getWatchExecutionMethod;
    if ((getWatchExecutionMethod = ExecutionServiceGrpc.getWatchExecutionMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getWatchExecutionMethod = ExecutionServiceGrpc.getWatchExecutionMethod) == null) {
          ExecutionServiceGrpc.getWatchExecutionMethod = getWatchExecutionMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.WatchExecutionRequest, wiki.dataflow.v1.WatchExecutionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "WatchExecution"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.WatchExecutionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.WatchExecutionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("WatchExecution"))
              .build();
        }
      }
    }
    return getWatchExecutionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.CancelExecutionRequest,
      wiki.dataflow.v1.CancelExecutionResponse> getCancelExecutionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelExecution",
      requestType = wiki.dataflow.v1.CancelExecutionRequest.class,
      responseType = wiki.dataflow.v1.CancelExecutionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.CancelExecutionRequest,
      wiki.dataflow.v1.CancelExecutionResponse> getCancelExecutionMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.CancelExecutionRequest, wiki.dataflow.v1.CancelExecutionResponse> getCancelExecutionMethod;
    if ((getCancelExecutionMethod = ExecutionServiceGrpc.getCancelExecutionMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getCancelExecutionMethod = ExecutionServiceGrpc.getCancelExecutionMethod) == null) {
          ExecutionServiceGrpc.getCancelExecutionMethod = getCancelExecutionMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.CancelExecutionRequest, wiki.dataflow.v1.CancelExecutionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelExecution"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.CancelExecutionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.CancelExecutionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("CancelExecution"))
              .build();
        }
      }
    }
    return getCancelExecutionMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.RetryExecutionRequest,
      wiki.dataflow.v1.RetryExecutionResponse> getRetryExecutionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RetryExecution",
      requestType = wiki.dataflow.v1.RetryExecutionRequest.class,
      responseType = wiki.dataflow.v1.RetryExecutionResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.RetryExecutionRequest,
      wiki.dataflow.v1.RetryExecutionResponse> getRetryExecutionMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.RetryExecutionRequest, wiki.dataflow.v1.RetryExecutionResponse> getRetryExecutionMethod;
    if ((getRetryExecutionMethod = ExecutionServiceGrpc.getRetryExecutionMethod) == null) {
      synchronized (ExecutionServiceGrpc.class) {
        if ((getRetryExecutionMethod = ExecutionServiceGrpc.getRetryExecutionMethod) == null) {
          ExecutionServiceGrpc.getRetryExecutionMethod = getRetryExecutionMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.RetryExecutionRequest, wiki.dataflow.v1.RetryExecutionResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RetryExecution"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RetryExecutionRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RetryExecutionResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExecutionServiceMethodDescriptorSupplier("RetryExecution"))
              .build();
        }
      }
    }
    return getRetryExecutionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ExecutionServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceStub>() {
        @java.lang.Override
        public ExecutionServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecutionServiceStub(channel, callOptions);
        }
      };
    return ExecutionServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ExecutionServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceBlockingV2Stub>() {
        @java.lang.Override
        public ExecutionServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecutionServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return ExecutionServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ExecutionServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceBlockingStub>() {
        @java.lang.Override
        public ExecutionServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecutionServiceBlockingStub(channel, callOptions);
        }
      };
    return ExecutionServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ExecutionServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExecutionServiceFutureStub>() {
        @java.lang.Override
        public ExecutionServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExecutionServiceFutureStub(channel, callOptions);
        }
      };
    return ExecutionServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Validates the inputs against the workflow's latest version, pins that
     * version and queues an execution (PENDING). Invalid inputs are refused
     * with INVALID_ARGUMENT and field violations such as `inputs.text`.
     * With `wait`, answers once the execution has ended (or the wait ran out),
     * with the execution: run-and-get-the-outcome in one call.
     * </pre>
     */
    default void executeWorkflow(wiki.dataflow.v1.ExecuteWorkflowRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ExecuteWorkflowResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getExecuteWorkflowMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns an execution with its tasks, outputs and error.
     * Over HTTP also by its id alone, as the web console's /ui/executions/{id}
     * and a pasted `we-…` id need.
     * </pre>
     */
    default void getExecution(wiki.dataflow.v1.GetExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetExecutionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetExecutionMethod(), responseObserver);
    }

    /**
     * <pre>
     * Lists the executions of a workflow, newest first.
     * </pre>
     */
    default void listExecutions(wiki.dataflow.v1.ListExecutionsRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListExecutionsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListExecutionsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams an execution's events: those after `after_sequence` from the
     * log, then new ones live; ends after the terminal event.
     * </pre>
     */
    default void watchExecution(wiki.dataflow.v1.WatchExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.WatchExecutionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchExecutionMethod(), responseObserver);
    }

    /**
     * <pre>
     * Cancels a PENDING or RUNNING execution; FAILED_PRECONDITION when it is
     * already terminal.
     * </pre>
     */
    default void cancelExecution(wiki.dataflow.v1.CancelExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.CancelExecutionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelExecutionMethod(), responseObserver);
    }

    /**
     * <pre>
     * Runs a FAILED or CANCELLED execution again from its first unfinished
     * task, on the same pinned version, keeping completed tasks' outputs.
     * </pre>
     */
    default void retryExecution(wiki.dataflow.v1.RetryExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RetryExecutionResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRetryExecutionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service ExecutionService.
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public static abstract class ExecutionServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ExecutionServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service ExecutionService.
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public static final class ExecutionServiceStub
      extends io.grpc.stub.AbstractAsyncStub<ExecutionServiceStub> {
    private ExecutionServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecutionServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecutionServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Validates the inputs against the workflow's latest version, pins that
     * version and queues an execution (PENDING). Invalid inputs are refused
     * with INVALID_ARGUMENT and field violations such as `inputs.text`.
     * With `wait`, answers once the execution has ended (or the wait ran out),
     * with the execution: run-and-get-the-outcome in one call.
     * </pre>
     */
    public void executeWorkflow(wiki.dataflow.v1.ExecuteWorkflowRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ExecuteWorkflowResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getExecuteWorkflowMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Returns an execution with its tasks, outputs and error.
     * Over HTTP also by its id alone, as the web console's /ui/executions/{id}
     * and a pasted `we-…` id need.
     * </pre>
     */
    public void getExecution(wiki.dataflow.v1.GetExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetExecutionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetExecutionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Lists the executions of a workflow, newest first.
     * </pre>
     */
    public void listExecutions(wiki.dataflow.v1.ListExecutionsRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListExecutionsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListExecutionsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams an execution's events: those after `after_sequence` from the
     * log, then new ones live; ends after the terminal event.
     * </pre>
     */
    public void watchExecution(wiki.dataflow.v1.WatchExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.WatchExecutionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchExecutionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Cancels a PENDING or RUNNING execution; FAILED_PRECONDITION when it is
     * already terminal.
     * </pre>
     */
    public void cancelExecution(wiki.dataflow.v1.CancelExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.CancelExecutionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelExecutionMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Runs a FAILED or CANCELLED execution again from its first unfinished
     * task, on the same pinned version, keeping completed tasks' outputs.
     * </pre>
     */
    public void retryExecution(wiki.dataflow.v1.RetryExecutionRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RetryExecutionResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRetryExecutionMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service ExecutionService.
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public static final class ExecutionServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ExecutionServiceBlockingV2Stub> {
    private ExecutionServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecutionServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecutionServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Validates the inputs against the workflow's latest version, pins that
     * version and queues an execution (PENDING). Invalid inputs are refused
     * with INVALID_ARGUMENT and field violations such as `inputs.text`.
     * With `wait`, answers once the execution has ended (or the wait ran out),
     * with the execution: run-and-get-the-outcome in one call.
     * </pre>
     */
    public wiki.dataflow.v1.ExecuteWorkflowResponse executeWorkflow(wiki.dataflow.v1.ExecuteWorkflowRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getExecuteWorkflowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns an execution with its tasks, outputs and error.
     * Over HTTP also by its id alone, as the web console's /ui/executions/{id}
     * and a pasted `we-…` id need.
     * </pre>
     */
    public wiki.dataflow.v1.GetExecutionResponse getExecution(wiki.dataflow.v1.GetExecutionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the executions of a workflow, newest first.
     * </pre>
     */
    public wiki.dataflow.v1.ListExecutionsResponse listExecutions(wiki.dataflow.v1.ListExecutionsRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListExecutionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams an execution's events: those after `after_sequence` from the
     * log, then new ones live; ends after the terminal event.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, wiki.dataflow.v1.WatchExecutionResponse>
        watchExecution(wiki.dataflow.v1.WatchExecutionRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Cancels a PENDING or RUNNING execution; FAILED_PRECONDITION when it is
     * already terminal.
     * </pre>
     */
    public wiki.dataflow.v1.CancelExecutionResponse cancelExecution(wiki.dataflow.v1.CancelExecutionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCancelExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Runs a FAILED or CANCELLED execution again from its first unfinished
     * task, on the same pinned version, keeping completed tasks' outputs.
     * </pre>
     */
    public wiki.dataflow.v1.RetryExecutionResponse retryExecution(wiki.dataflow.v1.RetryExecutionRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRetryExecutionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service ExecutionService.
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public static final class ExecutionServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ExecutionServiceBlockingStub> {
    private ExecutionServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecutionServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecutionServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Validates the inputs against the workflow's latest version, pins that
     * version and queues an execution (PENDING). Invalid inputs are refused
     * with INVALID_ARGUMENT and field violations such as `inputs.text`.
     * With `wait`, answers once the execution has ended (or the wait ran out),
     * with the execution: run-and-get-the-outcome in one call.
     * </pre>
     */
    public wiki.dataflow.v1.ExecuteWorkflowResponse executeWorkflow(wiki.dataflow.v1.ExecuteWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getExecuteWorkflowMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Returns an execution with its tasks, outputs and error.
     * Over HTTP also by its id alone, as the web console's /ui/executions/{id}
     * and a pasted `we-…` id need.
     * </pre>
     */
    public wiki.dataflow.v1.GetExecutionResponse getExecution(wiki.dataflow.v1.GetExecutionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Lists the executions of a workflow, newest first.
     * </pre>
     */
    public wiki.dataflow.v1.ListExecutionsResponse listExecutions(wiki.dataflow.v1.ListExecutionsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListExecutionsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams an execution's events: those after `after_sequence` from the
     * log, then new ones live; ends after the terminal event.
     * </pre>
     */
    public java.util.Iterator<wiki.dataflow.v1.WatchExecutionResponse> watchExecution(
        wiki.dataflow.v1.WatchExecutionRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Cancels a PENDING or RUNNING execution; FAILED_PRECONDITION when it is
     * already terminal.
     * </pre>
     */
    public wiki.dataflow.v1.CancelExecutionResponse cancelExecution(wiki.dataflow.v1.CancelExecutionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelExecutionMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Runs a FAILED or CANCELLED execution again from its first unfinished
     * task, on the same pinned version, keeping completed tasks' outputs.
     * </pre>
     */
    public wiki.dataflow.v1.RetryExecutionResponse retryExecution(wiki.dataflow.v1.RetryExecutionRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRetryExecutionMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service ExecutionService.
   * <pre>
   * Starts, reads, follows, cancels and retries workflow executions.
   * </pre>
   */
  public static final class ExecutionServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<ExecutionServiceFutureStub> {
    private ExecutionServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExecutionServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExecutionServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Validates the inputs against the workflow's latest version, pins that
     * version and queues an execution (PENDING). Invalid inputs are refused
     * with INVALID_ARGUMENT and field violations such as `inputs.text`.
     * With `wait`, answers once the execution has ended (or the wait ran out),
     * with the execution: run-and-get-the-outcome in one call.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.ExecuteWorkflowResponse> executeWorkflow(
        wiki.dataflow.v1.ExecuteWorkflowRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getExecuteWorkflowMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Returns an execution with its tasks, outputs and error.
     * Over HTTP also by its id alone, as the web console's /ui/executions/{id}
     * and a pasted `we-…` id need.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.GetExecutionResponse> getExecution(
        wiki.dataflow.v1.GetExecutionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetExecutionMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Lists the executions of a workflow, newest first.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.ListExecutionsResponse> listExecutions(
        wiki.dataflow.v1.ListExecutionsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListExecutionsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Cancels a PENDING or RUNNING execution; FAILED_PRECONDITION when it is
     * already terminal.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.CancelExecutionResponse> cancelExecution(
        wiki.dataflow.v1.CancelExecutionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelExecutionMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Runs a FAILED or CANCELLED execution again from its first unfinished
     * task, on the same pinned version, keeping completed tasks' outputs.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.RetryExecutionResponse> retryExecution(
        wiki.dataflow.v1.RetryExecutionRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRetryExecutionMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_EXECUTE_WORKFLOW = 0;
  private static final int METHODID_GET_EXECUTION = 1;
  private static final int METHODID_LIST_EXECUTIONS = 2;
  private static final int METHODID_WATCH_EXECUTION = 3;
  private static final int METHODID_CANCEL_EXECUTION = 4;
  private static final int METHODID_RETRY_EXECUTION = 5;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_EXECUTE_WORKFLOW:
          serviceImpl.executeWorkflow((wiki.dataflow.v1.ExecuteWorkflowRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.ExecuteWorkflowResponse>) responseObserver);
          break;
        case METHODID_GET_EXECUTION:
          serviceImpl.getExecution((wiki.dataflow.v1.GetExecutionRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetExecutionResponse>) responseObserver);
          break;
        case METHODID_LIST_EXECUTIONS:
          serviceImpl.listExecutions((wiki.dataflow.v1.ListExecutionsRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListExecutionsResponse>) responseObserver);
          break;
        case METHODID_WATCH_EXECUTION:
          serviceImpl.watchExecution((wiki.dataflow.v1.WatchExecutionRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.WatchExecutionResponse>) responseObserver);
          break;
        case METHODID_CANCEL_EXECUTION:
          serviceImpl.cancelExecution((wiki.dataflow.v1.CancelExecutionRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.CancelExecutionResponse>) responseObserver);
          break;
        case METHODID_RETRY_EXECUTION:
          serviceImpl.retryExecution((wiki.dataflow.v1.RetryExecutionRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.RetryExecutionResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getExecuteWorkflowMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.ExecuteWorkflowRequest,
              wiki.dataflow.v1.ExecuteWorkflowResponse>(
                service, METHODID_EXECUTE_WORKFLOW)))
        .addMethod(
          getGetExecutionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.GetExecutionRequest,
              wiki.dataflow.v1.GetExecutionResponse>(
                service, METHODID_GET_EXECUTION)))
        .addMethod(
          getListExecutionsMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.ListExecutionsRequest,
              wiki.dataflow.v1.ListExecutionsResponse>(
                service, METHODID_LIST_EXECUTIONS)))
        .addMethod(
          getWatchExecutionMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              wiki.dataflow.v1.WatchExecutionRequest,
              wiki.dataflow.v1.WatchExecutionResponse>(
                service, METHODID_WATCH_EXECUTION)))
        .addMethod(
          getCancelExecutionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.CancelExecutionRequest,
              wiki.dataflow.v1.CancelExecutionResponse>(
                service, METHODID_CANCEL_EXECUTION)))
        .addMethod(
          getRetryExecutionMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.RetryExecutionRequest,
              wiki.dataflow.v1.RetryExecutionResponse>(
                service, METHODID_RETRY_EXECUTION)))
        .build();
  }

  private static abstract class ExecutionServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ExecutionServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return wiki.dataflow.v1.ExecutionServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ExecutionService");
    }
  }

  private static final class ExecutionServiceFileDescriptorSupplier
      extends ExecutionServiceBaseDescriptorSupplier {
    ExecutionServiceFileDescriptorSupplier() {}
  }

  private static final class ExecutionServiceMethodDescriptorSupplier
      extends ExecutionServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ExecutionServiceMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (ExecutionServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ExecutionServiceFileDescriptorSupplier())
              .addMethod(getExecuteWorkflowMethod())
              .addMethod(getGetExecutionMethod())
              .addMethod(getListExecutionsMethod())
              .addMethod(getWatchExecutionMethod())
              .addMethod(getCancelExecutionMethod())
              .addMethod(getRetryExecutionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
