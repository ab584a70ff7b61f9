package wiki.dataflow.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Shows and replays the webhook deliveries of executions; reads and rotates
 * the caller's tenant's webhook signing secret.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class WebhookServiceGrpc {

  private WebhookServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataflow.v1.WebhookService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.ListWebhookDeliveriesRequest,
      wiki.dataflow.v1.ListWebhookDeliveriesResponse> getListWebhookDeliveriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListWebhookDeliveries",
      requestType = wiki.dataflow.v1.ListWebhookDeliveriesRequest.class,
      responseType = wiki.dataflow.v1.ListWebhookDeliveriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.ListWebhookDeliveriesRequest,
      wiki.dataflow.v1.ListWebhookDeliveriesResponse> getListWebhookDeliveriesMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.ListWebhookDeliveriesRequest, wiki.dataflow.v1.ListWebhookDeliveriesResponse> getListWebhookDeliveriesMethod;
    if ((getListWebhookDeliveriesMethod = WebhookServiceGrpc.getListWebhookDeliveriesMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getListWebhookDeliveriesMethod = WebhookServiceGrpc.getListWebhookDeliveriesMethod) == null) {
          WebhookServiceGrpc.getListWebhookDeliveriesMethod = getListWebhookDeliveriesMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.ListWebhookDeliveriesRequest, wiki.dataflow.v1.ListWebhookDeliveriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListWebhookDeliveries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListWebhookDeliveriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.ListWebhookDeliveriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("ListWebhookDeliveries"))
              .build();
        }
      }
    }
    return getListWebhookDeliveriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.RedeliverWebhookRequest,
      wiki.dataflow.v1.RedeliverWebhookResponse> getRedeliverWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RedeliverWebhook",
      requestType = wiki.dataflow.v1.RedeliverWebhookRequest.class,
      responseType = wiki.dataflow.v1.RedeliverWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.RedeliverWebhookRequest,
      wiki.dataflow.v1.RedeliverWebhookResponse> getRedeliverWebhookMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.RedeliverWebhookRequest, wiki.dataflow.v1.RedeliverWebhookResponse> getRedeliverWebhookMethod;
    if ((getRedeliverWebhookMethod = WebhookServiceGrpc.getRedeliverWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getRedeliverWebhookMethod = WebhookServiceGrpc.getRedeliverWebhookMethod) == null) {
          WebhookServiceGrpc.getRedeliverWebhookMethod = getRedeliverWebhookMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.RedeliverWebhookRequest, wiki.dataflow.v1.RedeliverWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RedeliverWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RedeliverWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RedeliverWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("RedeliverWebhook"))
              .build();
        }
      }
    }
    return getRedeliverWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.GetWebhookSecretRequest,
      wiki.dataflow.v1.GetWebhookSecretResponse> getGetWebhookSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetWebhookSecret",
      requestType = wiki.dataflow.v1.GetWebhookSecretRequest.class,
      responseType = wiki.dataflow.v1.GetWebhookSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.GetWebhookSecretRequest,
      wiki.dataflow.v1.GetWebhookSecretResponse> getGetWebhookSecretMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.GetWebhookSecretRequest, wiki.dataflow.v1.GetWebhookSecretResponse> getGetWebhookSecretMethod;
    if ((getGetWebhookSecretMethod = WebhookServiceGrpc.getGetWebhookSecretMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getGetWebhookSecretMethod = WebhookServiceGrpc.getGetWebhookSecretMethod) == null) {
          WebhookServiceGrpc.getGetWebhookSecretMethod = getGetWebhookSecretMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.GetWebhookSecretRequest, wiki.dataflow.v1.GetWebhookSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetWebhookSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetWebhookSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetWebhookSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("GetWebhookSecret"))
              .build();
        }
      }
    }
    return getGetWebhookSecretMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.RotateWebhookSecretRequest,
      wiki.dataflow.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RotateWebhookSecret",
      requestType = wiki.dataflow.v1.RotateWebhookSecretRequest.class,
      responseType = wiki.dataflow.v1.RotateWebhookSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.RotateWebhookSecretRequest,
      wiki.dataflow.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.RotateWebhookSecretRequest, wiki.dataflow.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;
    if ((getRotateWebhookSecretMethod = WebhookServiceGrpc.getRotateWebhookSecretMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getRotateWebhookSecretMethod = WebhookServiceGrpc.getRotateWebhookSecretMethod) == null) {
          WebhookServiceGrpc.getRotateWebhookSecretMethod = getRotateWebhookSecretMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.RotateWebhookSecretRequest, wiki.dataflow.v1.RotateWebhookSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RotateWebhookSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RotateWebhookSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.RotateWebhookSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("RotateWebhookSecret"))
              .build();
        }
      }
    }
    return getRotateWebhookSecretMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static WebhookServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceStub>() {
        @java.lang.Override
        public WebhookServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceStub(channel, callOptions);
        }
      };
    return WebhookServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static WebhookServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingV2Stub>() {
        @java.lang.Override
        public WebhookServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return WebhookServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static WebhookServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingStub>() {
        @java.lang.Override
        public WebhookServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceBlockingStub(channel, callOptions);
        }
      };
    return WebhookServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static WebhookServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceFutureStub>() {
        @java.lang.Override
        public WebhookServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceFutureStub(channel, callOptions);
        }
      };
    return WebhookServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Lists an execution's webhook deliveries in event order, with their attempts.
     * </pre>
     */
    default void listWebhookDeliveries(wiki.dataflow.v1.ListWebhookDeliveriesRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListWebhookDeliveriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListWebhookDeliveriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Sends a delivery again (same `webhook-id`, new timestamp and signature),
     * whatever its state; FAILED_PRECONDITION while an attempt is in flight.
     * </pre>
     */
    default void redeliverWebhook(wiki.dataflow.v1.RedeliverWebhookRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RedeliverWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRedeliverWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * The caller's tenant's webhook signing secret (created on first need), and
     * the previous one while a rotation window is open.
     * </pre>
     */
    default void getWebhookSecret(wiki.dataflow.v1.GetWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetWebhookSecretMethod(), responseObserver);
    }

    /**
     * <pre>
     * Makes a new secret current. The replaced one keeps signing (both
     * signatures on every delivery, redeliveries included) until the window
     * ends: `window_seconds`, else the server's
     * DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS; 0 stops it at once (a leaked
     * secret). Rotating again inside a window drops the oldest secret.
     * </pre>
     */
    default void rotateWebhookSecret(wiki.dataflow.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRotateWebhookSecretMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service WebhookService.
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public static abstract class WebhookServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return WebhookServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service WebhookService.
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public static final class WebhookServiceStub
      extends io.grpc.stub.AbstractAsyncStub<WebhookServiceStub> {
    private WebhookServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists an execution's webhook deliveries in event order, with their attempts.
     * </pre>
     */
    public void listWebhookDeliveries(wiki.dataflow.v1.ListWebhookDeliveriesRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListWebhookDeliveriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListWebhookDeliveriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Sends a delivery again (same `webhook-id`, new timestamp and signature),
     * whatever its state; FAILED_PRECONDITION while an attempt is in flight.
     * </pre>
     */
    public void redeliverWebhook(wiki.dataflow.v1.RedeliverWebhookRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RedeliverWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRedeliverWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The caller's tenant's webhook signing secret (created on first need), and
     * the previous one while a rotation window is open.
     * </pre>
     */
    public void getWebhookSecret(wiki.dataflow.v1.GetWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetWebhookSecretMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Makes a new secret current. The replaced one keeps signing (both
     * signatures on every delivery, redeliveries included) until the window
     * ends: `window_seconds`, else the server's
     * DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS; 0 stops it at once (a leaked
     * secret). Rotating again inside a window drops the oldest secret.
     * </pre>
     */
    public void rotateWebhookSecret(wiki.dataflow.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service WebhookService.
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public static final class WebhookServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<WebhookServiceBlockingV2Stub> {
    private WebhookServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists an execution's webhook deliveries in event order, with their attempts.
     * </pre>
     */
    public wiki.dataflow.v1.ListWebhookDeliveriesResponse listWebhookDeliveries(wiki.dataflow.v1.ListWebhookDeliveriesRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getListWebhookDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sends a delivery again (same `webhook-id`, new timestamp and signature),
     * whatever its state; FAILED_PRECONDITION while an attempt is in flight.
     * </pre>
     */
    public wiki.dataflow.v1.RedeliverWebhookResponse redeliverWebhook(wiki.dataflow.v1.RedeliverWebhookRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRedeliverWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The caller's tenant's webhook signing secret (created on first need), and
     * the previous one while a rotation window is open.
     * </pre>
     */
    public wiki.dataflow.v1.GetWebhookSecretResponse getWebhookSecret(wiki.dataflow.v1.GetWebhookSecretRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetWebhookSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Makes a new secret current. The replaced one keeps signing (both
     * signatures on every delivery, redeliveries included) until the window
     * ends: `window_seconds`, else the server's
     * DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS; 0 stops it at once (a leaked
     * secret). Rotating again inside a window drops the oldest secret.
     * </pre>
     */
    public wiki.dataflow.v1.RotateWebhookSecretResponse rotateWebhookSecret(wiki.dataflow.v1.RotateWebhookSecretRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getRotateWebhookSecretMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service WebhookService.
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public static final class WebhookServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<WebhookServiceBlockingStub> {
    private WebhookServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists an execution's webhook deliveries in event order, with their attempts.
     * </pre>
     */
    public wiki.dataflow.v1.ListWebhookDeliveriesResponse listWebhookDeliveries(wiki.dataflow.v1.ListWebhookDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListWebhookDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sends a delivery again (same `webhook-id`, new timestamp and signature),
     * whatever its state; FAILED_PRECONDITION while an attempt is in flight.
     * </pre>
     */
    public wiki.dataflow.v1.RedeliverWebhookResponse redeliverWebhook(wiki.dataflow.v1.RedeliverWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRedeliverWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The caller's tenant's webhook signing secret (created on first need), and
     * the previous one while a rotation window is open.
     * </pre>
     */
    public wiki.dataflow.v1.GetWebhookSecretResponse getWebhookSecret(wiki.dataflow.v1.GetWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetWebhookSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Makes a new secret current. The replaced one keeps signing (both
     * signatures on every delivery, redeliveries included) until the window
     * ends: `window_seconds`, else the server's
     * DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS; 0 stops it at once (a leaked
     * secret). Rotating again inside a window drops the oldest secret.
     * </pre>
     */
    public wiki.dataflow.v1.RotateWebhookSecretResponse rotateWebhookSecret(wiki.dataflow.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRotateWebhookSecretMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service WebhookService.
   * <pre>
   * Shows and replays the webhook deliveries of executions; reads and rotates
   * the caller's tenant's webhook signing secret.
   * </pre>
   */
  public static final class WebhookServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<WebhookServiceFutureStub> {
    private WebhookServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Lists an execution's webhook deliveries in event order, with their attempts.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.ListWebhookDeliveriesResponse> listWebhookDeliveries(
        wiki.dataflow.v1.ListWebhookDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListWebhookDeliveriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Sends a delivery again (same `webhook-id`, new timestamp and signature),
     * whatever its state; FAILED_PRECONDITION while an attempt is in flight.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.RedeliverWebhookResponse> redeliverWebhook(
        wiki.dataflow.v1.RedeliverWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRedeliverWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The caller's tenant's webhook signing secret (created on first need), and
     * the previous one while a rotation window is open.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.GetWebhookSecretResponse> getWebhookSecret(
        wiki.dataflow.v1.GetWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetWebhookSecretMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Makes a new secret current. The replaced one keeps signing (both
     * signatures on every delivery, redeliveries included) until the window
     * ends: `window_seconds`, else the server's
     * DATAFLOW_WEBHOOK_SECRET_ROTATION_HOURS; 0 stops it at once (a leaked
     * secret). Rotating again inside a window drops the oldest secret.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.RotateWebhookSecretResponse> rotateWebhookSecret(
        wiki.dataflow.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_WEBHOOK_DELIVERIES = 0;
  private static final int METHODID_REDELIVER_WEBHOOK = 1;
  private static final int METHODID_GET_WEBHOOK_SECRET = 2;
  private static final int METHODID_ROTATE_WEBHOOK_SECRET = 3;

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
        case METHODID_LIST_WEBHOOK_DELIVERIES:
          serviceImpl.listWebhookDeliveries((wiki.dataflow.v1.ListWebhookDeliveriesRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.ListWebhookDeliveriesResponse>) responseObserver);
          break;
        case METHODID_REDELIVER_WEBHOOK:
          serviceImpl.redeliverWebhook((wiki.dataflow.v1.RedeliverWebhookRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.RedeliverWebhookResponse>) responseObserver);
          break;
        case METHODID_GET_WEBHOOK_SECRET:
          serviceImpl.getWebhookSecret((wiki.dataflow.v1.GetWebhookSecretRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetWebhookSecretResponse>) responseObserver);
          break;
        case METHODID_ROTATE_WEBHOOK_SECRET:
          serviceImpl.rotateWebhookSecret((wiki.dataflow.v1.RotateWebhookSecretRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.RotateWebhookSecretResponse>) responseObserver);
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
          getListWebhookDeliveriesMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.ListWebhookDeliveriesRequest,
              wiki.dataflow.v1.ListWebhookDeliveriesResponse>(
                service, METHODID_LIST_WEBHOOK_DELIVERIES)))
        .addMethod(
          getRedeliverWebhookMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.RedeliverWebhookRequest,
              wiki.dataflow.v1.RedeliverWebhookResponse>(
                service, METHODID_REDELIVER_WEBHOOK)))
        .addMethod(
          getGetWebhookSecretMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.GetWebhookSecretRequest,
              wiki.dataflow.v1.GetWebhookSecretResponse>(
                service, METHODID_GET_WEBHOOK_SECRET)))
        .addMethod(
          getRotateWebhookSecretMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.RotateWebhookSecretRequest,
              wiki.dataflow.v1.RotateWebhookSecretResponse>(
                service, METHODID_ROTATE_WEBHOOK_SECRET)))
        .build();
  }

  private static abstract class WebhookServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    WebhookServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return wiki.dataflow.v1.WebhookServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("WebhookService");
    }
  }

  private static final class WebhookServiceFileDescriptorSupplier
      extends WebhookServiceBaseDescriptorSupplier {
    WebhookServiceFileDescriptorSupplier() {}
  }

  private static final class WebhookServiceMethodDescriptorSupplier
      extends WebhookServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    WebhookServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (WebhookServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new WebhookServiceFileDescriptorSupplier())
              .addMethod(getListWebhookDeliveriesMethod())
              .addMethod(getRedeliverWebhookMethod())
              .addMethod(getGetWebhookSecretMethod())
              .addMethod(getRotateWebhookSecretMethod())
              .build();
        }
      }
    }
    return result;
  }
}
