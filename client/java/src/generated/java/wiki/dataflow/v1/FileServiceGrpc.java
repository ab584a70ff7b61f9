package wiki.dataflow.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Stores files for file-typed inputs, and serves the files tasks produce.
 * </pre>
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class FileServiceGrpc {

  private FileServiceGrpc() {}

  public static final java.lang.String SERVICE_NAME = "dataflow.v1.FileService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.UploadFileRequest,
      wiki.dataflow.v1.UploadFileResponse> getUploadFileMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "UploadFile",
      requestType = wiki.dataflow.v1.UploadFileRequest.class,
      responseType = wiki.dataflow.v1.UploadFileResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.UploadFileRequest,
      wiki.dataflow.v1.UploadFileResponse> getUploadFileMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.UploadFileRequest, wiki.dataflow.v1.UploadFileResponse> getUploadFileMethod;
    if ((getUploadFileMethod = FileServiceGrpc.getUploadFileMethod) == null) {
      synchronized (FileServiceGrpc.class) {
        if ((getUploadFileMethod = FileServiceGrpc.getUploadFileMethod) == null) {
          FileServiceGrpc.getUploadFileMethod = getUploadFileMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.UploadFileRequest, wiki.dataflow.v1.UploadFileResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "UploadFile"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.UploadFileRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.UploadFileResponse.getDefaultInstance()))
              .setSchemaDescriptor(new FileServiceMethodDescriptorSupplier("UploadFile"))
              .build();
        }
      }
    }
    return getUploadFileMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.GetFileRequest,
      wiki.dataflow.v1.GetFileResponse> getGetFileMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetFile",
      requestType = wiki.dataflow.v1.GetFileRequest.class,
      responseType = wiki.dataflow.v1.GetFileResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.GetFileRequest,
      wiki.dataflow.v1.GetFileResponse> getGetFileMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.GetFileRequest, wiki.dataflow.v1.GetFileResponse> getGetFileMethod;
    if ((getGetFileMethod = FileServiceGrpc.getGetFileMethod) == null) {
      synchronized (FileServiceGrpc.class) {
        if ((getGetFileMethod = FileServiceGrpc.getGetFileMethod) == null) {
          FileServiceGrpc.getGetFileMethod = getGetFileMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.GetFileRequest, wiki.dataflow.v1.GetFileResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetFile"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetFileRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.GetFileResponse.getDefaultInstance()))
              .setSchemaDescriptor(new FileServiceMethodDescriptorSupplier("GetFile"))
              .build();
        }
      }
    }
    return getGetFileMethod;
  }

  private static volatile io.grpc.MethodDescriptor<wiki.dataflow.v1.DownloadFileRequest,
      wiki.dataflow.v1.DownloadFileResponse> getDownloadFileMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DownloadFile",
      requestType = wiki.dataflow.v1.DownloadFileRequest.class,
      responseType = wiki.dataflow.v1.DownloadFileResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<wiki.dataflow.v1.DownloadFileRequest,
      wiki.dataflow.v1.DownloadFileResponse> getDownloadFileMethod() {
    io.grpc.MethodDescriptor<wiki.dataflow.v1.DownloadFileRequest, wiki.dataflow.v1.DownloadFileResponse> getDownloadFileMethod;
    if ((getDownloadFileMethod = FileServiceGrpc.getDownloadFileMethod) == null) {
      synchronized (FileServiceGrpc.class) {
        if ((getDownloadFileMethod = FileServiceGrpc.getDownloadFileMethod) == null) {
          FileServiceGrpc.getDownloadFileMethod = getDownloadFileMethod =
              io.grpc.MethodDescriptor.<wiki.dataflow.v1.DownloadFileRequest, wiki.dataflow.v1.DownloadFileResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DownloadFile"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.DownloadFileRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  wiki.dataflow.v1.DownloadFileResponse.getDefaultInstance()))
              .setSchemaDescriptor(new FileServiceMethodDescriptorSupplier("DownloadFile"))
              .build();
        }
      }
    }
    return getDownloadFileMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static FileServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<FileServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<FileServiceStub>() {
        @java.lang.Override
        public FileServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new FileServiceStub(channel, callOptions);
        }
      };
    return FileServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static FileServiceBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<FileServiceBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<FileServiceBlockingV2Stub>() {
        @java.lang.Override
        public FileServiceBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new FileServiceBlockingV2Stub(channel, callOptions);
        }
      };
    return FileServiceBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static FileServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<FileServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<FileServiceBlockingStub>() {
        @java.lang.Override
        public FileServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new FileServiceBlockingStub(channel, callOptions);
        }
      };
    return FileServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static FileServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<FileServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<FileServiceFutureStub>() {
        @java.lang.Override
        public FileServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new FileServiceFutureStub(channel, callOptions);
        }
      };
    return FileServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public interface AsyncService {

    /**
     * <pre>
     * Uploads a file: the first message carries `metadata`, the following
     * ones `data` chunks (at most 1 MiB each).
     * </pre>
     */
    default io.grpc.stub.StreamObserver<wiki.dataflow.v1.UploadFileRequest> uploadFile(
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.UploadFileResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getUploadFileMethod(), responseObserver);
    }

    /**
     * <pre>
     * Returns a file's metadata.
     * </pre>
     */
    default void getFile(wiki.dataflow.v1.GetFileRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetFileResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetFileMethod(), responseObserver);
    }

    /**
     * <pre>
     * Streams a file's content in chunks; the first message also carries the
     * metadata.
     * </pre>
     */
    default void downloadFile(wiki.dataflow.v1.DownloadFileRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.DownloadFileResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDownloadFileMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service FileService.
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public static abstract class FileServiceImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return FileServiceGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service FileService.
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public static final class FileServiceStub
      extends io.grpc.stub.AbstractAsyncStub<FileServiceStub> {
    private FileServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected FileServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new FileServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Uploads a file: the first message carries `metadata`, the following
     * ones `data` chunks (at most 1 MiB each).
     * </pre>
     */
    public io.grpc.stub.StreamObserver<wiki.dataflow.v1.UploadFileRequest> uploadFile(
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.UploadFileResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getUploadFileMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Returns a file's metadata.
     * </pre>
     */
    public void getFile(wiki.dataflow.v1.GetFileRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetFileResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetFileMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Streams a file's content in chunks; the first message also carries the
     * metadata.
     * </pre>
     */
    public void downloadFile(wiki.dataflow.v1.DownloadFileRequest request,
        io.grpc.stub.StreamObserver<wiki.dataflow.v1.DownloadFileResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getDownloadFileMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service FileService.
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public static final class FileServiceBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<FileServiceBlockingV2Stub> {
    private FileServiceBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected FileServiceBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new FileServiceBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Uploads a file: the first message carries `metadata`, the following
     * ones `data` chunks (at most 1 MiB each).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<wiki.dataflow.v1.UploadFileRequest, wiki.dataflow.v1.UploadFileResponse>
        uploadFile() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getUploadFileMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Returns a file's metadata.
     * </pre>
     */
    public wiki.dataflow.v1.GetFileResponse getFile(wiki.dataflow.v1.GetFileRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetFileMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams a file's content in chunks; the first message also carries the
     * metadata.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, wiki.dataflow.v1.DownloadFileResponse>
        downloadFile(wiki.dataflow.v1.DownloadFileRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getDownloadFileMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service FileService.
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public static final class FileServiceBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<FileServiceBlockingStub> {
    private FileServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected FileServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new FileServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns a file's metadata.
     * </pre>
     */
    public wiki.dataflow.v1.GetFileResponse getFile(wiki.dataflow.v1.GetFileRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetFileMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Streams a file's content in chunks; the first message also carries the
     * metadata.
     * </pre>
     */
    public java.util.Iterator<wiki.dataflow.v1.DownloadFileResponse> downloadFile(
        wiki.dataflow.v1.DownloadFileRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getDownloadFileMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service FileService.
   * <pre>
   * Stores files for file-typed inputs, and serves the files tasks produce.
   * </pre>
   */
  public static final class FileServiceFutureStub
      extends io.grpc.stub.AbstractFutureStub<FileServiceFutureStub> {
    private FileServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected FileServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new FileServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Returns a file's metadata.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<wiki.dataflow.v1.GetFileResponse> getFile(
        wiki.dataflow.v1.GetFileRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetFileMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_FILE = 0;
  private static final int METHODID_DOWNLOAD_FILE = 1;
  private static final int METHODID_UPLOAD_FILE = 2;

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
        case METHODID_GET_FILE:
          serviceImpl.getFile((wiki.dataflow.v1.GetFileRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.GetFileResponse>) responseObserver);
          break;
        case METHODID_DOWNLOAD_FILE:
          serviceImpl.downloadFile((wiki.dataflow.v1.DownloadFileRequest) request,
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.DownloadFileResponse>) responseObserver);
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
        case METHODID_UPLOAD_FILE:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.uploadFile(
              (io.grpc.stub.StreamObserver<wiki.dataflow.v1.UploadFileResponse>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getUploadFileMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              wiki.dataflow.v1.UploadFileRequest,
              wiki.dataflow.v1.UploadFileResponse>(
                service, METHODID_UPLOAD_FILE)))
        .addMethod(
          getGetFileMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              wiki.dataflow.v1.GetFileRequest,
              wiki.dataflow.v1.GetFileResponse>(
                service, METHODID_GET_FILE)))
        .addMethod(
          getDownloadFileMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              wiki.dataflow.v1.DownloadFileRequest,
              wiki.dataflow.v1.DownloadFileResponse>(
                service, METHODID_DOWNLOAD_FILE)))
        .build();
  }

  private static abstract class FileServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    FileServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return wiki.dataflow.v1.FileServiceProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("FileService");
    }
  }

  private static final class FileServiceFileDescriptorSupplier
      extends FileServiceBaseDescriptorSupplier {
    FileServiceFileDescriptorSupplier() {}
  }

  private static final class FileServiceMethodDescriptorSupplier
      extends FileServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    FileServiceMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (FileServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new FileServiceFileDescriptorSupplier())
              .addMethod(getUploadFileMethod())
              .addMethod(getGetFileMethod())
              .addMethod(getDownloadFileMethod())
              .build();
        }
      }
    }
    return result;
  }
}
